namespace DlWorkbook.Exercises;

/// <summary>
/// Answers given outside the code, for a notebook run as a console program: <c>--answer 05.5=73856</c> on the
/// command line (repeatable; also <c>--answer=05.5=73856</c>), or <c>DLWORKBOOK_ANSWERS=05.5=73856;00.6=C</c> in
/// the environment. The command line wins over the environment.
/// </summary>
internal static class ExternalAnswers
{
    /// <summary>The environment variable that carries answers, <c>ID=ANSWER</c> pairs separated by semicolons.</summary>
    public const string Variable = "DLWORKBOOK_ANSWERS";

    const string Option = "--answer";

    static readonly Lazy<IReadOnlyDictionary<string, (string Text, string Source)>> current =
        new(() => Parse(Environment.GetCommandLineArgs().Skip(1).ToArray(), Environment.GetEnvironmentVariable(Variable), Console.WriteLine));

    public static IReadOnlyDictionary<string, (string Text, string Source)> Current => current.Value;

    /// <summary>Reads the answers from program arguments and the variable's value; a malformed item is reported through <paramref name="warn"/> and skipped.</summary>
    public static IReadOnlyDictionary<string, (string Text, string Source)> Parse(string[] args, string? variable, Action<string> warn)
    {
        var answers = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var item in (variable ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Add(item, $"the {Variable} variable");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Option)
            {
                if (i + 1 < args.Length) Add(args[++i], "the command line");
                else warn($"{Option} needs an answer after it, for example {Option} 05.5=73856.");
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.Ordinal))
            {
                Add(args[i][(Option.Length + 1)..], "the command line");
            }
        }
        return answers;

        void Add(string item, string source)
        {
            var split = item.IndexOf('=');
            var id = split < 0 ? "" : item[..split].Trim();
            if (split < 0 || !ExerciseCatalogue.Contains(id))
            {
                warn($"Ignoring the answer \"{item}\" from {source}: write it as ID=ANSWER with an exercise ID such as 05.5, for example {Option} 05.5=73856.");
                return;
            }
            answers[id] = (item[(split + 1)..].Trim(), source);
        }
    }
}
