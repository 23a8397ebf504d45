using System.Text.Json.Nodes;
using System.Threading.Channels;
using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// The dotnet-interactive runner against a scripted kernel: how outputs are assembled, what fails a cell,
/// and what happens when the kernel hangs or dies. No process is started.
/// </summary>
public class NotebookRunnerTests
{
    /// <summary>A notebook with a markdown cell first and one code cell per source.</summary>
    static NotebookDocument Notebook(params string[] sources)
    {
        var cells = new JsonArray { new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# demo" } };
        foreach (var source in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            });
        var folder = Directory.CreateTempSubdirectory("dlw-runner-").FullName;
        var path = Path.Combine(folder, "demo.ipynb");
        File.WriteAllText(path, new JsonObject { ["cells"] = cells, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        return NotebookDocument.Load(path);
    }

    static (NotebookResult Result, JsonArray Cells) Run(NotebookDocument notebook, ScriptedKernel kernel, double cellSeconds = 5)
    {
        var copy = Path.Combine(Path.GetDirectoryName(notebook.Path)!, "out", "demo.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        var result = InteractiveRun.Run(notebook, copy, () => kernel, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(cellSeconds));
        return (result, NotebookDocument.Load(copy).Cells);
    }

    static JsonArray Outputs(JsonArray cells, int cell) => cells[cell - 1]!["outputs"]!.AsArray();

    static string Text(JsonNode? node) => string.Concat(node!.AsArray().Select(l => l!.GetValue<string>()));

    [Fact]
    public void OutputsKeepTheOrderTheCodeProducedThemAndConsecutiveStdoutIsOneStream()
    {
        var kernel = new ScriptedKernel(code => code == "cell" ?
        [
            Event("StandardOutputValueProduced", Values(("text/plain", "epoch 1\n"))),
            Event("StandardOutputValueProduced", Values(("text/plain", "epoch 2\n"))),
            Event("DisplayedValueProduced", Values(("text/html", "<b>table</b>")), "d1"),
            Event("StandardOutputValueProduced", Values(("text/plain", "done\n"))),
            Event("ReturnValueProduced", Values(("text/html", "<i>42</i>"), ("text/plain", "42"))),
        ] : []);
        var (result, cells) = Run(Notebook("first", "cell"), kernel);

        Assert.True(result.Passed, string.Join("\n", result.Failures));
        var outputs = Outputs(cells, 3);
        Assert.Equal(["stream", "display_data", "stream", "execute_result"], outputs.Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.Equal("epoch 1\nepoch 2\n", Text(outputs[0]!["text"]));
        Assert.Equal(["epoch 1\n", "epoch 2\n"], outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("done\n", Text(outputs[2]!["text"]));
        Assert.Equal(["text/html", "text/plain"], outputs[3]!["data"]!.AsObject().Select(p => p.Key));
        Assert.Equal(2, outputs[3]!["execution_count"]!.GetValue<int>());
        Assert.Equal(1, cells[1]!["execution_count"]!.GetValue<int>());
        Assert.Equal(2, cells[2]!["execution_count"]!.GetValue<int>());
        Assert.Equal("# demo", cells[0]!["source"]!.GetValue<string>());
    }

    [Fact]
    public void AnUpdatedDisplayIsReplacedInPlaceSoOnlyItsFinalStateIsSaved()
    {
        var kernel = new ScriptedKernel(_ =>
        [
            Event("DisplayedValueProduced", Values(("text/html", "chart: 0 points")), "chart"),
            Event("DisplayedValueProduced", Values(("text/plain", "starting…")), "progress"),
            Event("DisplayedValueUpdated", Values(("text/html", "chart: 1 point")), "chart"),
            Event("DisplayedValueUpdated", Values(("text/plain", "epoch 1, loss 0.9")), "progress"),
            Event("DisplayedValueUpdated", Values(("text/html", "chart: 2 points")), "chart"),
            Event("DisplayedValueUpdated", Values(("text/plain", "epoch 2, loss 0.5")), "progress"),
        ]);
        var (result, cells) = Run(Notebook("train"), kernel);

        Assert.True(result.Passed, string.Join("\n", result.Failures));
        var outputs = Outputs(cells, 2);
        Assert.Equal(2, outputs.Count);
        Assert.Equal("chart: 2 points", Text(outputs[0]!["data"]!["text/html"]));
        Assert.Equal("epoch 2, loss 0.5", Text(outputs[1]!["data"]!["text/plain"]));
    }

    [Fact]
    public void AFirstUpdateUnderANewDisplayIdReplacesTheCellsFirstDisplayInTheSameFormats()
    {
        // What dotnet-interactive 1.0.712001 sends for a live chart: each value's first update carries a new id.
        var kernel = new ScriptedKernel(_ =>
        [
            Event("DisplayedValueProduced", Values(("text/html", "chart: 0 points")), "chart"),
            Event("DisplayedValueProduced", Values(("text/plain", "starting…")), "progress"),
            Event("DisplayedValueUpdated", Values(("text/html", "chart: 1 point")), "chart-2"),
            Event("DisplayedValueUpdated", Values(("text/plain", "epoch 1, loss 0.9")), "progress-2"),
            Event("DisplayedValueUpdated", Values(("text/html", "chart: 2 points")), "chart-2"),
            Event("DisplayedValueUpdated", Values(("text/plain", "epoch 2, loss 0.5")), "progress-2"),
        ]);
        var (_, cells) = Run(Notebook("train"), kernel);

        var outputs = Outputs(cells, 2);
        Assert.Equal(2, outputs.Count);
        Assert.Equal("chart: 2 points", Text(outputs[0]!["data"]!["text/html"]));
        Assert.Equal("epoch 2, loss 0.5", Text(outputs[1]!["data"]!["text/plain"]));
    }

    [Fact]
    public void ALaterCellUpdatesTheDisplayWhereItWasShown()
    {
        var kernel = new ScriptedKernel(code => code == "show"
            ? [Event("DisplayedValueProduced", Values(("text/plain", "v1")), "shared")]
            : [Event("DisplayedValueUpdated", Values(("text/plain", "v2")), "shared")]);
        var (_, cells) = Run(Notebook("show", "update"), kernel);

        Assert.Equal("v2", Text(Outputs(cells, 2)[0]!["data"]!["text/plain"]));
        Assert.Empty(Outputs(cells, 3));
    }

    [Fact]
    public void EveryMimeTypeIsKeptAndJsonTypesAreStoredAsJson()
    {
        var kernel = new ScriptedKernel(_ =>
        [
            Event("DisplayedValueProduced", Values(
                ("text/html", "<div>chart</div>"),
                ("application/vnd.plotly.v1+json", """{"data":[{"y":[1,2]}],"layout":{}}"""),
                ("text/plain", "chart"))),
        ]);
        var (_, cells) = Run(Notebook("chart"), kernel);

        var data = Outputs(cells, 2)[0]!["data"]!.AsObject();
        Assert.Equal(["text/html", "application/vnd.plotly.v1+json", "text/plain"], data.Select(p => p.Key));
        Assert.Equal(2, data["application/vnd.plotly.v1+json"]!["data"]![0]!["y"]![1]!.GetValue<int>());
    }

    [Fact]
    public void SuppressedValuesAndTheKernelsBookkeepingEventsLeaveNoOutput()
    {
        var kernel = new ScriptedKernel(_ =>
        [
            Event("CodeSubmissionReceived", new JsonObject { ["code"] = "x" }),
            Event("DisplayedValueProduced", new JsonObject
            {
                ["formattedValues"] = new JsonArray(new JsonObject { ["mimeType"] = "text/html", ["value"] = "hidden", ["suppressDisplay"] = true }),
            }),
            Event("DiagnosticsProduced", Diagnostics(("hidden", "CS8019", "Unnecessary using directive."))),
        ]);
        var (result, cells) = Run(Notebook("quiet"), kernel);

        Assert.True(result.Passed, string.Join("\n", result.Failures));
        Assert.Empty(Outputs(cells, 2));
    }

    [Fact]
    public void StandardErrorFailsTheCellAndIsSaved()
    {
        var kernel = new ScriptedKernel(code => code == "noisy"
            ? [Event("StandardErrorValueProduced", Values(("text/plain", "careful: something odd\n")))]
            : []);
        var (result, cells) = Run(Notebook("fine", "noisy"), kernel);

        Assert.Equal("demo.ipynb, cell 3: wrote to standard error: careful: something odd", Assert.Single(result.Failures).ToString());
        Assert.Equal("stderr", Outputs(cells, 3)[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ACompilerWarningFailsTheCellWithItsText()
    {
        const string warning = "warning CS1701: Assuming assembly reference 'System.Runtime.Numerics, Version=8.0.0.0' used by 'TorchSharp' matches identity 'System.Runtime.Numerics, Version=10.0.0.0'";
        var kernel = new ScriptedKernel(_ => [Event("DiagnosticsProduced", Diagnostics(("warning", "CS1701", "Assuming …"), formatted: warning))]);
        var (result, _) = Run(Notebook("torch.tensor(1)"), kernel);

        Assert.Equal($"demo.ipynb, cell 2: {warning}", Assert.Single(result.Failures).ToString());
    }

    [Fact]
    public void AFailedCellIsAnErrorOutputAndTheNextCellsStillRun()
    {
        var kernel = new ScriptedKernel(code => code == "bad"
            ? [Failed("System.InvalidOperationException: boom\n   at Submission#2.<Initialize>")]
            : [Event("StandardOutputValueProduced", Values(("text/plain", "after\n")))]);
        var (result, cells) = Run(Notebook("bad", "good"), kernel);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Cell);
        Assert.StartsWith("System.InvalidOperationException: boom", failure.Message);
        Assert.Equal("error", Outputs(cells, 2)[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("after\n", Text(Outputs(cells, 3)[0]!["text"]));
    }

    [Fact]
    public void AKernelThatDiesFailsWithTheCellItsLastOutputAndItsLastWordsAndTheCopyIsStillWritten()
    {
        var kernel = new ScriptedKernel(code => code switch
        {
            "a @ b" =>
            [
                Event("StandardOutputValueProduced", Values(("text/plain", "multiplying [2, 3] by [4, 5]\n"))),
                ScriptedKernel.Die("terminate called after throwing an instance of 'c10::Error'", "  what():  mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
            ],
            _ => [Event("StandardOutputValueProduced", Values(("text/plain", code + "\n")))],
        });
        var (result, cells) = Run(Notebook("before", "a @ b", "after"), kernel);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(3, failure.Cell);
        Assert.Contains("the kernel died while running this cell (exit code 134)", failure.Message);
        Assert.Contains("multiplying [2, 3] by [4, 5]", failure.Message);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", failure.Message);
        Assert.Equal("before\n", Text(Outputs(cells, 2)[0]!["text"]));
        Assert.Equal("KernelDied", Outputs(cells, 3)[1]!["ename"]!.GetValue<string>());
        Assert.Empty(Outputs(cells, 4));
        Assert.Null(cells[3]!["execution_count"]);
    }

    [Fact]
    public void ACopyWithoutItsRunRecordIsStale()
    {
        var notebook = Notebook("before");
        var (result, _) = Run(notebook, new ScriptedKernel(code => [Event("StandardOutputValueProduced", Values(("text/plain", code + "\n")))]));

        // The copy is saved as the run goes; the record is added by NotebookRun.Execute only once the run is over.
        Assert.True(result.Passed);
        Assert.Null(RunRecord.Read(result.ExecutedCopy));
        Assert.Equal($"{result.ExecutedCopy} has no run record: the run that wrote it never finished",
            RunRecord.StaleBecause(result.ExecutedCopy, notebook.Path, NotebookHost.Interactive, quick: true, library: null));
    }

    [Fact]
    public void ACellPastItsTimeLimitStopsTheKernelAndFails()
    {
        var kernel = new ScriptedKernel(code => code == "sleep"
            ? [Event("StandardOutputValueProduced", Values(("text/plain", "epoch 1\n"))), ScriptedKernel.Hang]
            : []);
        var (result, cells) = Run(Notebook("sleep", "never"), kernel, cellSeconds: 0.5);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Cell);
        Assert.StartsWith("the cell did not finish within its limit of 0.5 s; the kernel was stopped.", failure.Message);
        Assert.Contains("epoch 1", failure.Message);
        Assert.True(kernel.Killed);
        Assert.Equal(["SubmitCode"], kernel.Commands);
        Assert.Empty(Outputs(cells, 3));
    }

    [Fact]
    public void NativeStandardErrorOfTheKernelProcessFailsTheCell()
    {
        var kernel = new ScriptedKernel(_ => [ScriptedKernel.ProcessStandardError("[W NNPACK.cpp:64] Could not initialize NNPACK!")]);
        var (result, _) = Run(Notebook("conv"), kernel);

        Assert.Equal("demo.ipynb, cell 2: the kernel process wrote to standard error: [W NNPACK.cpp:64] Could not initialize NNPACK!",
            Assert.Single(result.Failures).ToString());
    }

    [Fact]
    public void AKernelThatNeverGetsReadyFailsTheNotebook()
    {
        var kernel = new ScriptedKernel(_ => [], ready: false);
        var (result, _) = Run(Notebook("x"), kernel);

        Assert.StartsWith("demo.ipynb: the kernel exited before it was ready", Assert.Single(result.Failures).ToString());
    }

    // ---- scripted kernel and event builders ----

    static JsonObject Values(params (string Mime, string Value)[] values) => new()
    {
        ["formattedValues"] = new JsonArray(values.Select(v => (JsonNode?)new JsonObject
        {
            ["mimeType"] = v.Mime, ["value"] = v.Value, ["suppressDisplay"] = false,
        }).ToArray()),
        ["valueId"] = null,
    };

    static JsonObject Diagnostics((string Severity, string Code, string Message) d, string? formatted = null) => new()
    {
        ["diagnostics"] = new JsonArray(new JsonObject { ["severity"] = d.Severity, ["code"] = d.Code, ["message"] = d.Message }),
        ["formattedDiagnostics"] = new JsonArray(new JsonObject
        {
            ["mimeType"] = "text/plain", ["value"] = formatted ?? $"{d.Severity} {d.Code}: {d.Message}",
        }),
    };

    /// <summary>An event for the running cell (its token is filled in when the kernel replays it).</summary>
    static Func<string, string> Event(string type, JsonObject e, string? valueId = null) => token =>
    {
        var copy = JsonNode.Parse(e.ToJsonString())!.AsObject();
        if (valueId is not null) copy["valueId"] = valueId;
        return new JsonObject
        {
            ["event"] = copy, ["eventType"] = type,
            ["command"] = new JsonObject { ["token"] = token + ".1", ["commandType"] = "SubmitCode" },
        }.ToJsonString();
    };

    static Func<string, string> Failed(string message) => token => new JsonObject
    {
        ["event"] = new JsonObject { ["message"] = message }, ["eventType"] = "CommandFailed",
        ["command"] = new JsonObject { ["token"] = token, ["commandType"] = "SubmitCode" },
    }.ToJsonString();

    /// <summary>
    /// Answers each SubmitCode with the lines the script gives for its code, then CommandSucceeded (unless the
    /// script failed the command, hung or died).
    /// </summary>
    sealed class ScriptedKernel(Func<string, IReadOnlyList<Func<string, string>>> script, bool ready = true) : IKernelSession
    {
        public static readonly Func<string, string> Hang = _ => "<hang>";
        public static Func<string, string> Die(params string[] lastWords) => _ => "<die>" + string.Join('\n', lastWords);
        public static Func<string, string> ProcessStandardError(string line) => _ => "<stderr>" + line;

        readonly Channel<string> lines = Channel.CreateUnbounded<string>();
        readonly List<string> standardError = [];
        bool started;

        public List<string> Commands { get; } = [];
        public bool Killed { get; private set; }
        public int? ExitCode { get; private set; }

        public void Send(string line)
        {
            var command = JsonNode.Parse(line)!;
            var type = command["commandType"]!.GetValue<string>();
            if (type == "Quit") return;
            Commands.Add(type);
            var token = command["token"]!.GetValue<string>();
            var failed = false;
            foreach (var make in script(command["command"]!["code"]!.GetValue<string>()))
            {
                var produced = make(token);
                if (produced == "<hang>") return;
                if (produced.StartsWith("<die>"))
                {
                    lock (standardError) standardError.AddRange(produced[5..].Split('\n'));
                    ExitCode = 134;
                    lines.Writer.TryComplete();
                    return;
                }
                if (produced.StartsWith("<stderr>"))
                {
                    lock (standardError) standardError.Add(produced[8..]);
                    continue;
                }
                failed |= produced.Contains("\"CommandFailed\"");
                lines.Writer.TryWrite(produced);
            }
            if (!failed)
                lines.Writer.TryWrite(new JsonObject
                {
                    ["event"] = new JsonObject(), ["eventType"] = "CommandSucceeded",
                    ["command"] = new JsonObject { ["token"] = token, ["commandType"] = "SubmitCode" },
                }.ToJsonString());
        }

        public async ValueTask<string?> ReadLineAsync(CancellationToken cancel)
        {
            if (!started)
            {
                started = true;
                lines.Writer.TryWrite("Welcome to .NET Interactive! (a banner line that is not JSON)");
                if (ready) lines.Writer.TryWrite("""{"event":{"kernelInfos":[]},"eventType":"KernelReady","command":null}""");
                else
                {
                    ExitCode = 1;
                    lines.Writer.TryComplete();
                }
            }
            return await lines.Reader.WaitToReadAsync(cancel) && lines.Reader.TryRead(out var line) ? line : null;
        }

        public IReadOnlyList<string> TakeStandardError()
        {
            lock (standardError)
            {
                var taken = standardError.ToList();
                standardError.Clear();
                return taken;
            }
        }

        public void Kill() => Killed = true;

        public void Dispose()
        {
        }
    }
}

public class NotebookFileTests
{
    static string Write(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("dlw-nbfile-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void ANotebookThatIsNotValidJsonIsThatNotebooksFailure()
    {
        var path = Write("broken.ipynb", """{"cells": [ {"cell_type": "code", "source": "1 + 1" """);
        var result = NotebookRun.Execute(path, Path.Combine(Path.GetDirectoryName(path)!, "out"), quick: true, TimeSpan.FromSeconds(5));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(0, failure.Cell);
        Assert.StartsWith("broken.ipynb: is not valid JSON (", failure.ToString());
        Assert.EndsWith("open it in an editor and fix it, or restore it with git", failure.Message);
    }

    [Fact]
    public void JsonThatIsNotANotebookIsThatNotebooksFailure()
    {
        var path = Write("list.ipynb", "[1, 2, 3]");
        var result = NotebookRun.Execute(path, Path.Combine(Path.GetDirectoryName(path)!, "out"), quick: true, TimeSpan.FromSeconds(5), NotebookHost.Repl);

        Assert.Equal("list.ipynb: is not a notebook: the JSON has no \"cells\" array (nbformat 4)", Assert.Single(result.Failures).ToString());
    }

    [Theory]
    [InlineData("{\"cell_type\": \"code\", \"source\": 42}", "cell 2's source is a number, expected a string or a list of strings")]
    [InlineData("{\"cell_type\": \"code\", \"source\": [\"x = 1\\n\", 2]}",
        "cell 2's source is a list holding a number (item 2), expected a string or a list of strings")]
    [InlineData("{\"cell_type\": \"code\", \"source\": {\"text\": \"1\"}}", "cell 2's source is an object, expected a string or a list of strings")]
    [InlineData("{\"cell_type\": 7, \"source\": \"1 + 1\"}", "cell 2's cell_type is a number, expected a string (\"code\", \"markdown\" or \"raw\")")]
    public void ACellOfTheWrongShapeIsThatNotebooksFailure(string cell, string problem)
    {
        var path = Write("shape.ipynb", $$"""{"cells": [{"cell_type": "markdown", "source": "# Title"}, {{cell}}]}""");
        var result = NotebookRun.Execute(path, Path.Combine(Path.GetDirectoryName(path)!, "out"), quick: true, TimeSpan.FromSeconds(5));

        Assert.Equal($"shape.ipynb: is not a valid notebook: {problem}", Assert.Single(result.Failures).ToString());
    }

    [Fact]
    public void TheRunnerReportsABrokenNotebookAndGoesOnWithTheRest()
    {
        var broken = Write("01-broken.ipynb", "{ not json");
        var prose = Write("02-prose.ipynb", """{"cells":[{"cell_type":"markdown","source":"only prose"}]}""");
        var number = Write("03-number.ipynb", """{"cells":[{"cell_type":"code","source":3}]}""");
        var output = new StringWriter();

        var exit = RunnerCommandLine.Run(
            ["--quick", "--out", Path.Combine(Path.GetDirectoryName(broken)!, "out"), broken, number, prose], output, TextWriter.Null);

        Assert.Equal(1, exit);
        var text = output.ToString();
        Assert.Contains("FAIL 01-broken.ipynb in dotnet-interactive", text);
        Assert.Contains("01-broken.ipynb: is not valid JSON", text);
        Assert.Contains("03-number.ipynb: is not a valid notebook: cell 1's source is a number, expected a string or a list of strings", text);
        Assert.Contains("02-prose.ipynb: the notebook has no code cells", text);
        Assert.Contains("notebooks: 0 passed, 3 failed", text);
    }

    [Fact]
    public void ABadOptionIsRejectedWithTheUsage()
    {
        var error = new StringWriter();
        Assert.Equal(2, RunnerCommandLine.Run(["--host", "jupyter"], TextWriter.Null, error));
        Assert.Contains("--host must be interactive, repl or both, not 'jupyter'.", error.ToString());
        Assert.Contains("NotebookRunner [<NOTEBOOK>...] [options]", error.ToString());
        Assert.Contains("--host <interactive|repl|both>", error.ToString());
    }

    [Theory]
    [InlineData(new[] { "--jobs", "0" }, "--jobs must be a whole number of at least 1, not '0'.")]
    [InlineData(new[] { "--timeout", "-3" }, "--timeout must be a positive number of seconds, not '-3'.")]
    [InlineData(new[] { "--cell-timeout", "soon" }, "--cell-timeout must be a positive number of seconds, not 'soon'.")]
    [InlineData(new[] { "--out" }, "Required argument missing for option: '--out'.")]
    [InlineData(new[] { "a.ipynb", "--bogus" }, "Unrecognized command or argument '--bogus'.")]
    public void EachBadArgumentIsNamedWithWhatIsWrongAndExitsWithTwo(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, RunnerCommandLine.Run(args, TextWriter.Null, error));
        Assert.Equal(message, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd());
        Assert.Contains("Usage:\n  NotebookRunner [<NOTEBOOK>...] [options]", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HelpListsEveryOptionAndExitsWithZero()
    {
        var output = new StringWriter();
        Assert.Equal(0, RunnerCommandLine.Run(["--help"], output, TextWriter.Null));
        foreach (var option in new[] { "--quick", "--out <DIR>", "--timeout <SECONDS>", "--cell-timeout <SECONDS>", "--host", "--jobs <N>", "--each-cell-twice" })
            Assert.Contains(option, output.ToString());
    }

    [Fact]
    public void ImagesTheMarkdownLinksToAreCopiedBesideTheOutputFolder()
    {
        var root = Directory.CreateTempSubdirectory("dlw-links-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        Directory.CreateDirectory(Path.Combine(root, "images"));
        File.WriteAllText(Path.Combine(root, "images", "rnn.svg"), "<svg/>");
        var path = Path.Combine(root, "notebooks", "n.ipynb");
        File.WriteAllText(path, """
            {"cells":[{"cell_type":"markdown","source":["![an RNN](../images/rnn.svg) and <img src=\"../images/missing.svg\"> and [web](https://example.org/x.svg)"]}]}
            """);

        var copied = NotebookDocument.Load(path).CopyLinkedFiles(Path.Combine(root, "out", "notebooks"));

        Assert.Equal([Path.Combine(root, "out", "images", "rnn.svg")], copied);
        Assert.Equal("<svg/>", File.ReadAllText(copied[0]));
    }

    [Fact]
    public void ALinkedNotebookIsNeverCopiedSoNoExecutedCopyIsReplaced()
    {
        var root = Directory.CreateTempSubdirectory("dlw-links-").FullName;
        var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(root, "out", "notebooks")).FullName;
        File.WriteAllText(Path.Combine(notebooks, "00-first.ipynb"), "unexecuted 00");
        File.WriteAllText(Path.Combine(notebooks, "02-third.ipynb"), "unexecuted 02");
        File.WriteAllText(Path.Combine(output, "00-first.ipynb"), "executed 00");
        var path = Path.Combine(notebooks, "01-second.ipynb");
        File.WriteAllText(path, """
            {"cells":[{"cell_type":"markdown","source":["[← 00](00-first.ipynb) · [02 →](02-third.ipynb)"]}]}
            """);

        var copied = NotebookDocument.Load(path).CopyLinkedFiles(output);

        Assert.Empty(copied);
        Assert.Equal("executed 00", File.ReadAllText(Path.Combine(output, "00-first.ipynb")));
        Assert.False(File.Exists(Path.Combine(output, "02-third.ipynb")));
    }

    [Fact]
    public void AnExecutedCopyIsCheckedForErrorsAndStandardError()
    {
        var path = Write("02-demo.ipynb", """
            {"cells":[{"cell_type":"markdown","source":"# t"},
                      {"cell_type":"code","outputs":[{"output_type":"stream","name":"stderr","text":["careful\n"]}]},
                      {"cell_type":"code","outputs":[{"output_type":"error","ename":"Error","evalue":"(1,1): error CS0103: The name 'x' does not exist"}]}]}
            """);
        Assert.Equal(
            ["02-demo.ipynb, cell 2: wrote to standard error: careful", "02-demo.ipynb, cell 3: (1,1): error CS0103: The name 'x' does not exist"],
            NotebookRun.Check(path, "02-demo.ipynb").Select(f => f.ToString()));
    }
}
