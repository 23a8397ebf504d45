using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace NotebookRunner;

/// <summary>A running kernel spoken to line by line (JSON envelopes over standard input and output).</summary>
public interface IKernelSession : IDisposable
{
    /// <summary>Sends one command envelope.</summary>
    void Send(string line);

    /// <summary>The next line the kernel wrote, or null once it has exited (end of its output).</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancel"/> fires first.</exception>
    ValueTask<string?> ReadLineAsync(CancellationToken cancel);

    /// <summary>Lines the kernel process wrote to its standard error since the last call (native code, a crash report).</summary>
    IReadOnlyList<string> TakeStandardError();

    /// <summary>The process's exit code once it has exited, else null.</summary>
    int? ExitCode { get; }

    /// <summary>Stops the kernel and every process it started at once (a cell past its time limit).</summary>
    void Kill();
}

/// <summary>
/// <c>dotnet interactive stdio</c>, started the way the Polyglot Notebooks extension starts it:
/// <c>dotnet tool run dotnet-interactive -- [vscode] stdio --working-dir &lt;notebook folder&gt;</c>,
/// from the folder with the tool manifest.
/// </summary>
public sealed class DotnetInteractiveSession : IKernelSession
{
    readonly Process process;
    readonly Channel<string> lines = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    readonly List<string> standardError = [];
    readonly ManualResetEventSlim standardErrorClosed = new();
    readonly Thread reader;

    DotnetInteractiveSession(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                standardErrorClosed.Set();
                return;
            }
            lock (standardError) standardError.Add(e.Data);
        };
        process.BeginErrorReadLine();
        // A plain thread, not the thread pool: a busy pool must not delay the kernel's events.
        reader = new Thread(ReadOutput) { IsBackground = true, Name = "dotnet-interactive stdout" };
        reader.Start();
    }

    /// <summary>Starts the kernel with its working directory set to <paramref name="workingDirectory"/>.</summary>
    public static DotnetInteractiveSession Start(string toolManifestRoot, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var utf8 = new UTF8Encoding(false);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = toolManifestRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        foreach (var arg in new[] { "tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", workingDirectory })
            psi.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        return new DotnetInteractiveSession(Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started."));
    }

    void ReadOutput()
    {
        try
        {
            while (process.StandardOutput.ReadLine() is { } line) lines.Writer.TryWrite(line);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            lines.Writer.TryComplete();
        }
    }

    public void Send(string line)
    {
        try
        {
            process.StandardInput.Write(line + "\n");
            process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The kernel has exited; the reader sees the end of its output and reports it.
        }
    }

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancel)
    {
        if (await lines.Reader.WaitToReadAsync(cancel) && lines.Reader.TryRead(out var line)) return line;
        // End of output: let the process finish so its exit code and last stderr lines are in. WaitForExit with a limit
        // does not wait for the stderr handler, which on a busy machine gets the dying kernel's last words later; the
        // call without a limit would wait for ever if a child of the kernel (a restore) still held the pipe open.
        if (process.WaitForExit(5000)) standardErrorClosed.Wait(5000);
        return null;
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

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>Asks the kernel to quit, and stops it (with every child process) if it has not within a few seconds.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            Send(KernelCommands.Quit("quit"));
            if (!process.WaitForExit(5000))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
                process.WaitForExit(5000);
            }
        }
        process.Dispose();
    }

    /// <summary>Stops the kernel and every process it started at once (a cell past its time limit).</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
