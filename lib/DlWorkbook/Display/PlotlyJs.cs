using System.Reflection;
using Plotly.NET;

namespace DlWorkbook.Display;

/// <summary>
/// plotly.js as Plotly.NET embeds it in its DLL: exactly the version its figures are made for, with no download.
/// The console programs' chart files (<c>ConsoleDisplay</c>) and the course site both load this copy, never one
/// from the network.
/// </summary>
/// <remarks>Internal, and compiled into tools/SiteBuilder as a linked file, so the site needs no reference to the library
/// (and its TorchSharp natives) for one script.</remarks>
internal static class PlotlyJs
{
    static readonly Assembly Plotly = typeof(GenericChart).Assembly;
    static readonly Lazy<string> Resource = new(FindResource);

    /// <summary>The plotly.js version, for example "2.28.0" (from the resource name Plotly.NET gives it).</summary>
    public static string Version => Resource.Value["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>The file name to write it under, for example <c>plotly-2.28.0.min.js</c>.</summary>
    public static string FileName => $"plotly-{Version}.min.js";

    /// <summary>Writes plotly.js to <paramref name="path"/>, creating the folder; an existing copy of the same size is kept.</summary>
    /// <exception cref="InvalidOperationException">Plotly.NET carries no plotly.js.</exception>
    public static void WriteTo(string path) => WriteResource(Resource.Value, path);

    /// <summary>Writes plotly.js's licence (shipped beside it in Plotly.NET) to <paramref name="path"/>; false when there is none.</summary>
    public static bool WriteLicenseTo(string path)
    {
        var license = Plotly.GetManifestResourceNames().FirstOrDefault(n => n.Contains("LICENSE", StringComparison.OrdinalIgnoreCase));
        if (license is null) return false;
        WriteResource(license, path);
        return true;
    }

    static string FindResource()
    {
        var names = Plotly.GetManifestResourceNames();
        return names.FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"Plotly.NET {Plotly.GetName().Version} carries no plotly.js resource (it has: {string.Join(", ", names)}).");
    }

    static void WriteResource(string name, string path)
    {
        using var stream = Plotly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET has no resource {name}.");
        if (File.Exists(path) && new FileInfo(path).Length == stream.Length) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Through a temporary file: a reader never sees half a script.
        var temp = path + ".tmp";
        using (var file = File.Create(temp)) stream.CopyTo(file);
        File.Move(temp, path, overwrite: true);
    }
}
