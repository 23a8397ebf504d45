using System.Reflection;

namespace DlWorkbook.Display;

/// <summary>
/// plotly.js as Plotly.NET embeds it in its DLL: exactly the version its figures are made for, with no download.
/// The console programs' chart files (<c>ConsoleDisplay</c>) and the course site both load this copy, never one
/// from the network.
/// </summary>
/// <remarks>
/// In the runtime assembly, which references no Plotly.NET: each caller passes Plotly.NET's assembly
/// (<c>typeof(Plotly.NET.GenericChart).Assembly</c>), so the site builder needs no reference to the library's TorchSharp.
/// </remarks>
/// <param name="plotly">Plotly.NET's assembly, which carries plotly.js as a resource.</param>
internal sealed class PlotlyJs(Assembly plotly)
{
    string? resource;

    string Resource => resource ??= FindResource();

    /// <summary>The plotly.js version, for example "2.28.0" (from the resource name Plotly.NET gives it).</summary>
    public string Version => Resource["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>The file name to write it under, for example <c>plotly-2.28.0.min.js</c>.</summary>
    public string FileName => $"plotly-{Version}.min.js";

    /// <summary>Writes plotly.js to <paramref name="path"/>, creating the folder; an existing copy of the same size is kept.</summary>
    /// <exception cref="InvalidOperationException">Plotly.NET carries no plotly.js.</exception>
    public void WriteTo(string path) => WriteResource(Resource, path);

    /// <summary>Writes plotly.js's licence (shipped beside it in Plotly.NET) to <paramref name="path"/>; false when there is none.</summary>
    public bool WriteLicenseTo(string path)
    {
        var license = plotly.GetManifestResourceNames().FirstOrDefault(n => n.Contains("LICENSE", StringComparison.OrdinalIgnoreCase));
        if (license is null) return false;
        WriteResource(license, path);
        return true;
    }

    string FindResource()
    {
        var names = plotly.GetManifestResourceNames();
        return names.FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"Plotly.NET {plotly.GetName().Version} carries no plotly.js resource (it has: {string.Join(", ", names)}).");
    }

    void WriteResource(string name, string path)
    {
        using var stream = plotly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET has no resource {name}.");
        if (File.Exists(path) && new FileInfo(path).Length == stream.Length) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Through a temporary file: a reader never sees half a script.
        var temp = path + ".tmp";
        using (var file = File.Create(temp)) stream.CopyTo(file);
        File.Move(temp, path, overwrite: true);
    }
}
