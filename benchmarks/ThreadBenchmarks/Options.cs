using System.Globalization;

namespace DlWorkbook.Benchmarks;

/// <summary>The command line, shared by the driver and the child processes it starts.</summary>
internal sealed record Options
{
    public bool IsChild { get; init; }
    public bool IsSpinner { get; init; }
    public bool Quick { get; init; }
    public IReadOnlyList<string> Settings { get; init; } = Candidate.All.Select(c => c.Key).ToList();
    public IReadOnlyList<int> Loads { get; init; } = [0, 1, 2];
    public IReadOnlyList<string> Models { get; init; } = Workload.All.Select(w => w.Key).ToList();
    public int Windows { get; init; } = 5;
    public double WindowSeconds { get; init; } = 0.8;
    /// <summary>A window (or the quiet check before a child) counts only when other programs used at most this much CPU.</summary>
    public double CleanForeignCores { get; init; } = 0.2;
    /// <summary>How long the driver waits for the machine to become quiet before it measures anyway (and says so).</summary>
    public double MaxWaitSeconds { get; init; } = 300;
    public string? Output { get; init; }
    // Child only: the setting to run, how many busy processes run beside it and their process ids.
    public string? Setting { get; init; }
    public int Busy { get; init; }
    public IReadOnlyList<int> BusyPids { get; init; } = [];
    // Spinner only: stop when this process ends.
    public int? ParentPid { get; init; }

    public const string Usage = """
        dotnet run -c Release --project benchmarks/ThreadBenchmarks -- [options]
          --quick               smoke run: settings default and workbook, loads 0 and 1, two short windows
          --settings a,b        settings to measure (default: all): default, threads-1, passive, spin-0, spin-1k,
                                spin-10k, spin-100k, workbook
          --loads 0,1,2         busy processes beside the measurement (default: 0,1,2)
          --models a,b          softmax, mlp, lenet, lenet-relu, resnet, rnn-scratch, rnn (default: all)
          --windows N           timed windows per model after the warm-up (default 5; the median is reported)
          --window-seconds S    length of one window (default 0.8)
          --max-wait S          longest wait for a quiet machine before measuring anyway (default 300)
          --out FILE            also write the JSON lines to FILE (default out/thread-benchmarks.jsonl)
        """;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        if (args.Contains("--quick"))
            options = options with { Quick = true, Settings = ["default", "workbook"], Loads = [0, 1], Windows = 2, WindowSeconds = 0.25 };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--quick" => options,
                "--child" => options with { IsChild = true },
                "--spin" => options with { IsSpinner = true },
                "--parent" => options with { ParentPid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--setting" => options with { Setting = Value() },
                "--busy" => options with { Busy = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--busy-pids" => options with { BusyPids = Ints(Value()) },
                "--settings" => options with { Settings = Checked(Words(Value()), Candidate.All.Select(c => c.Key), "setting") },
                "--loads" => options with { Loads = Ints(Value()) },
                "--models" => options with { Models = Checked(Words(Value()), Workload.All.Select(w => w.Key), "model") },
                "--windows" => options with { Windows = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--window-seconds" => options with { WindowSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--max-wait" => options with { MaxWaitSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--out" => options with { Output = Value() },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }
        return options;
    }

    /// <summary>The arguments that start a child measuring one setting under one load with these options.</summary>
    public IEnumerable<string> ChildArguments(string setting, int busy, IEnumerable<int> busyPids) =>
    [
        "--child", "--setting", setting, "--busy", busy.ToString(CultureInfo.InvariantCulture),
        "--busy-pids", string.Join(',', busyPids), "--models", string.Join(',', Models),
        "--windows", Windows.ToString(CultureInfo.InvariantCulture),
        "--window-seconds", WindowSeconds.ToString(CultureInfo.InvariantCulture),
    ];

    static List<string> Words(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    static List<int> Ints(string list) => Words(list).Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList();

    static List<string> Checked(List<string> words, IEnumerable<string> known, string what)
    {
        var unknown = words.Except(known).ToList();
        return unknown.Count == 0 ? words
            : throw new ArgumentException($"Unknown {what} {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.");
    }
}
