using System.Runtime.InteropServices;

namespace DlWorkbook.Tests.Site;

/// <summary>
/// Finds a Chromium-based browser for the course site's browser test where each system puts one: CHROMIUM_PATH when set,
/// else Google Chrome, Microsoft Edge or Chromium at their install locations. The file system and environment are
/// injected so every system's rules are tested on any system.
/// </summary>
static class BrowserLocator
{
    /// <summary>The variable that names a browser to use instead of looking.</summary>
    public const string Variable = "CHROMIUM_PATH";

    /// <summary>This machine's browser, or null when there is none.</summary>
    public static string? Find() =>
        Find(CurrentOs, Environment.GetEnvironmentVariable, File.Exists, ReadStart);

    /// <summary>The browser on <paramref name="os"/>, given its environment and files; null when none is there.</summary>
    /// <exception cref="InvalidOperationException">CHROMIUM_PATH names a file that does not exist.</exception>
    public static string? Find(OSPlatform os, Func<string, string?> environment, Func<string, bool> exists, Func<string, string> readStart)
    {
        if (environment(Variable) is { Length: > 0 } chosen)
            return exists(chosen) ? chosen : throw new InvalidOperationException(
                $"{Variable} is {chosen}, which does not exist. Set it to a Chrome, Edge or Chromium executable, or unset it to let the test look.");
        return Candidates(os, environment).FirstOrDefault(path => exists(path) && !IsSnapStub(path, exists, readStart));
    }

    /// <summary>Where each system's installers put Chrome, Edge and Chromium, in the order they are tried.</summary>
    public static IReadOnlyList<string> Candidates(OSPlatform os, Func<string, string?> environment)
    {
        if (os == OSPlatform.Windows)
        {
            var roots = new[] { "ProgramFiles", "ProgramFiles(x86)", "LocalAppData" }
                .Select(environment).OfType<string>().Where(r => r.Length > 0).Distinct().ToList();
            return
            [
                .. roots.Select(r => r.TrimEnd('\\') + @"\Google\Chrome\Application\chrome.exe"),
                .. roots.Select(r => r.TrimEnd('\\') + @"\Microsoft\Edge\Application\msedge.exe"),
                .. roots.Select(r => r.TrimEnd('\\') + @"\Chromium\Application\chrome.exe"),
            ];
        }
        if (os == OSPlatform.OSX)
        {
            string[] apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                             "Chromium.app/Contents/MacOS/Chromium"];
            var home = environment("HOME");
            return [.. apps.Select(a => "/Applications/" + a), .. string.IsNullOrEmpty(home) ? [] : apps.Select(a => home + "/Applications/" + a)];
        }
        return
        [
            "/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome",
            "/usr/bin/google-chrome-stable", "/opt/google/chrome/chrome", "/usr/bin/microsoft-edge", "/usr/bin/microsoft-edge-stable",
        ];
    }

    /// <summary>What to install on <paramref name="os"/>, for the skip line and the CI failure.</summary>
    public static string InstallHint(OSPlatform os) =>
        os == OSPlatform.Windows ? "install Google Chrome (`winget install Google.Chrome`) or Microsoft Edge"
        : os == OSPlatform.OSX ? "install Google Chrome (`brew install --cask google-chrome`) or Microsoft Edge"
        : "install Chromium (Debian: `sudo apt-get install -y chromium`; Ubuntu's chromium package needs snap, so there install "
          + "Google Chrome from https://www.google.com/chrome/)";

    /// <summary>The one line for a machine without a browser.</summary>
    public static string Missing(OSPlatform os) =>
        $"No Chrome, Edge or Chromium found (looked at {Variable}, then {string.Join(", ", Candidates(os, Environment.GetEnvironmentVariable))}): "
        + $"{InstallHint(os)}, or set {Variable} to one.";

    /// <summary>
    /// Ubuntu's <c>chromium-browser</c> without snapd: a script that only tells the user to install the snap, which is what
    /// <c>apt install chromium</c> leaves in a container.
    /// </summary>
    static bool IsSnapStub(string path, Func<string, bool> exists, Func<string, string> readStart)
    {
        var start = readStart(path);
        return start.StartsWith("#!", StringComparison.Ordinal) && start.Contains("/snap/", StringComparison.Ordinal)
               && !exists("/snap/bin/chromium");
    }

    static string ReadStart(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var buffer = new char[4096];
            return new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>This process's operating system.</summary>
    public static OSPlatform CurrentOs =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;
}
