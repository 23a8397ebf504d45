using DlWorkbook.Runtime;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// A thread setting to measure: environment variables for the child process (libgomp reads them once, when
/// libtorch loads, so each needs a fresh process) and, optionally, a <c>torch.set_num_threads</c> call after loading.
/// </summary>
/// <param name="Key">Short name for the command line and the table.</param>
/// <param name="Description">What the setting is.</param>
/// <param name="Environment">Variables the child starts with.</param>
/// <param name="Threads">Intra-op threads to set after libtorch has loaded, or null to leave them.</param>
internal sealed record Candidate(string Key, string Description, IReadOnlyDictionary<string, string> Environment, int? Threads = null)
{
    // Every candidate but "workbook" keeps the course library's own thread settings out of the way.
    static readonly KeyValuePair<string, string> LibTorchAlone = new(ThreadSettings.WorkbookVariable, ThreadSettings.LibTorchValue);

    public static IReadOnlyList<Candidate> All { get; } =
    [
        Plain("default", "libtorch's defaults: one OpenMP thread per core, libgomp's default spinning"),
        new("threads-1", "torch.set_num_threads(1) after loading", Env(), Threads: 1),
        Plain("passive", "OMP_WAIT_POLICY=PASSIVE: waiting threads sleep at once", ("OMP_WAIT_POLICY", "PASSIVE")),
        Plain("spin-0", "GOMP_SPINCOUNT=0", ("GOMP_SPINCOUNT", "0")),
        Plain("spin-1k", "GOMP_SPINCOUNT=1000", ("GOMP_SPINCOUNT", "1000")),
        Plain("spin-10k", "GOMP_SPINCOUNT=10000", ("GOMP_SPINCOUNT", "10000")),
        Plain("spin-100k", "GOMP_SPINCOUNT=100000", ("GOMP_SPINCOUNT", "100000")),
        new("workbook", "the course library's default: libtorch's count, one thread fewer per busy core, decided before every epoch", new Dictionary<string, string>()),
    ];

    static Candidate Plain(string key, string description, params (string Name, string Value)[] variables) =>
        new(key, description, Env(variables));

    static Dictionary<string, string> Env(params (string Name, string Value)[] variables)
    {
        var env = new Dictionary<string, string> { [LibTorchAlone.Key] = LibTorchAlone.Value };
        foreach (var (name, value) in variables) env[name] = value;
        return env;
    }

    public static Candidate Find(string key) =>
        All.FirstOrDefault(c => c.Key == key)
        ?? throw new ArgumentException($"Unknown setting '{key}'; known: {string.Join(", ", All.Select(c => c.Key))}.");
}
