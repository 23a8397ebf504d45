using System.CommandLine;
using System.CommandLine.Help;

namespace CommandLines;

/// <summary>
/// How every tool reads its command line, with System.CommandLine: <c>--help</c> (or <c>-h</c>) prints what the tool does
/// and its options and exits 0; a command line it cannot read gets, on standard error, what is wrong (naming the option or
/// argument, with the closest option for a misspelt one) and the help, and exit code 2.
/// </summary>
public sealed class ToolCommand : Command
{
    /// <summary>Every tool's exit code for a command line it cannot read.</summary>
    public const int BadArguments = 2;

    /// <summary>A tool's command: its name as the help shows it and what it does; its options and arguments are added to it.</summary>
    // The help wrapped at 120 characters, also when written to a file or pipe (System.CommandLine would not wrap it there).
    public ToolCommand(string name, string description) : base(name, description) =>
        Options.Add(new HelpOption { Action = new HelpAction { MaxWidth = 120 } });

    /// <summary>Parses <paramref name="args"/>; prints the help or the problems as above, or else returns what <paramref name="run"/> returns.</summary>
    public int Run(IReadOnlyList<string> args, Func<ParseResult, int> run, TextWriter? output = null, TextWriter? error = null)
    {
        var result = Parse(this, args);
        if (result.Errors.Count == 0 && result.Action is not HelpAction) return run(result);
        var bad = result.Errors.Count > 0;
        var code = result.Invoke(new InvocationConfiguration { Output = (bad ? error : output) ?? Console.Out, Error = error ?? Console.Error });
        return bad ? BadArguments : code;
    }

    /// <summary>Parses <paramref name="args"/> without response files: an argument that starts with @ is a file name.</summary>
    public static ParseResult Parse(Command command, IReadOnlyList<string> args) =>
        command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// The files a tool works on, any number of them, among the options. An argument that starts with - is an option the
    /// tool does not know, not a file (System.CommandLine would take it as one), and gets the error of one.
    /// </summary>
    public static Argument<string[]> Files(string name, string description)
    {
        var files = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
                result.AddError($"Unrecognized command or argument '{token.Value}'.");
        });
        return files;
    }

    /// <summary>An option whose value is one of a few words; a word outside them is named with the choices.</summary>
    public static Option<string> Choice(string name, string description, string[] words, string defaultWord)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join('|', words), DefaultValueFactory = _ => defaultWord };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var word] && !words.Contains(word.Value))
                result.AddError($"{name} must be {string.Join(", ", words[..^1])} or {words[^1]}, not '{word.Value}'.");
        });
        return option;
    }
}
