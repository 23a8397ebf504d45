using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DlWorkbook.Data;
using DlWorkbook.Runtime;
using DlWorkbook.Tests.Data;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// Downloads from servers on this machine's loopback address that misbehave: they stall after the headers, never
/// answer, trickle, or never complete the connection. Every case fails fast with the mirror advice and leaves nothing;
/// Stop in the notebook ends a download at once.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public sealed class DownloadFaultTests : IDisposable
{
    static readonly byte[] Content = Encoding.ASCII.GetBytes("species,weight\nbream,242\n");
    static readonly DownloadLimits Short = new(Response: TimeSpan.FromSeconds(1), Stall: TimeSpan.FromSeconds(0.5), Total: TimeSpan.FromSeconds(20));

    readonly TempFolder cacheFolder = new();
    readonly CancellationTokenSource stop = new();
    readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        cacheFolder.Dispose();
    }

    [Fact]
    public void AServerThatStallsAfterTheHeadersFailsWithinTheStallLimitAndShowsIt()
    {
        Serve(async (stream, token) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Content.Length}\r\n\r\n"), token);
            await stream.WriteAsync(Content.AsMemory(0, 10), token);
            await Task.Delay(Timeout.Infinite, token);
        });

        var (e, seconds, progress) = FetchFailing(Short);

        Assert.Contains("the server stopped sending after 10 bytes (nothing for 0.5 s)", e.Message);
        Assert.Contains(CacheFolder.MirrorVariable, e.Message);
        Assert.InRange(seconds, 0.9, 10);   // two addresses, 0.5 s each
        Assert.Contains("Downloading Fake fish fake.csv from 127.0.0.1: 0.0 of 0.0 MB (0%)", progress);
        Assert.Contains("failed: stalled", progress);
        Assert.Empty(cacheFolder.Files());
    }

    [Fact]
    public void AServerThatNeverAnswersFailsWithinTheResponseLimit()
    {
        Serve((_, token) => Task.Delay(Timeout.Infinite, token));

        var (e, seconds, _) = FetchFailing(Short);

        Assert.Contains("no answer within 1 s (the network is down, or a firewall drops the connection)", e.Message);
        Assert.Contains($"set the environment variable {CacheFolder.MirrorVariable}", e.Message);
        Assert.InRange(seconds, 1.9, 10);
    }

    [Fact]
    public void AConnectionThatNeverCompletesFailsWithinTheResponseLimit()
    {
        // A listener that never accepts and whose backlog is full drops further connection attempts, as a black-holed network does.
        listener.Start(backlog: 1);
        var fillers = Enumerable.Range(0, 4).Select(_ => new TcpClient()).ToList();
        foreach (var client in fillers) _ = client.ConnectAsync(IPAddress.Loopback, Port, stop.Token).AsTask();
        try
        {
            var (e, seconds, _) = FetchFailing(Short);

            Assert.Contains(CacheFolder.MirrorVariable, e.Message);
            Assert.InRange(seconds, 0, 10);
        }
        finally
        {
            fillers.ForEach(c => c.Dispose());
        }
    }

    /// <summary>A server that answers at once and then sends the file one byte every 200 ms.</summary>
    void ServeOneBytePer200Ms() => Serve(async (stream, token) =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Content.Length}\r\n\r\n"), token);
        foreach (var b in Content)
        {
            await stream.WriteAsync(new[] { b }, token);
            await Task.Delay(200, token);
        }
    });

    [Fact]
    public void ADownloadThatTakesTooLongStopsAtTheDeadline()
    {
        ServeOneBytePer200Ms();

        var (e, seconds, _) = FetchFailing(Short with { Total = TimeSpan.FromSeconds(1) });

        Assert.Contains("not finished after 1 s", e.Message);
        Assert.InRange(seconds, 0.9, 10);
        Assert.Empty(cacheFolder.Files());
    }

    [Fact]
    public void AWorkingServerStillDelivers()
    {
        Serve(async (stream, token) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Content.Length}\r\nConnection: close\r\n\r\n"), token);
            await stream.WriteAsync(Content, token);
        });

        var path = new DataCache(cacheFolder.Path) { Limits = Short }.Fetch(Fake());

        Assert.Equal(Content, File.ReadAllBytes(path));
    }

    [Fact]
    public void StopInTheKernelEndsADownloadAtOnceAndKeepsNothing()
    {
        ServeOneBytePer200Ms();                                // 5 s for the whole file, far within the limits below
        (Probe.Cache, Probe.File, Probe.Outcome) = (new DataCache(cacheFolder.Path) { Limits = Short with { Stall = TimeSpan.FromSeconds(5) } }, Fake(), null);
        using var csharp = new CSharpKernel();
        using var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        csharp.AddAssemblyReferences([typeof(DataCache).Assembly.Location, typeof(DownloadFaultTests).Assembly.Location]);
        kernel.SendAsync(new SubmitCode("0")).GetAwaiter().GetResult();   // the kernel's first compilation, before the clock matters

        var download = kernel.SendAsync(new SubmitCode("DlWorkbook.Tests.Faults.DownloadFaultTests.Probe.Fetch();"));
        var waited = Stopwatch.StartNew();
        while (cacheFolder.Files().Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
        Assert.True(cacheFolder.Files().Length > 0, "the download did not start");   // its temporary file is there
        kernel.SendAsync(new Cancel()).GetAwaiter().GetResult();
        var next = kernel.SendAsync(new SubmitCode("1 + 1"));

        Assert.True(next.Wait(TimeSpan.FromSeconds(2)), "the next cell was still waiting 2 s after Stop: the download went on");
        download.GetAwaiter().GetResult();
        var outcome = Probe.Wait();
        Assert.Equal("OperationCanceledException: Stopped downloading Fake fish fake.csv: you pressed Stop (or the cell was "
                     + "cancelled). Nothing half-downloaded was kept; run the cell again to download the file.", outcome);
        Assert.Empty(cacheFolder.Files());
    }

    /// <summary>What the kernel's cell fetches, and how the fetch ended.</summary>
    public static class Probe
    {
        public static DataCache? Cache;
        public static DataFile? File;
        public static volatile string? Outcome;

        public static void Fetch()
        {
            try
            {
                Cache!.Fetch(File!);
                Outcome = "fetched";
            }
            catch (Exception e)
            {
                Outcome = $"{e.GetType().Name}: {e.Message}";
            }
        }

        public static string? Wait()
        {
            var clock = Stopwatch.StartNew();
            while (Outcome is null && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
            return Outcome;
        }
    }

    int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    DataFile Fake() => new("Fake fish", "sub/fake.csv", Content.Length, Convert.ToHexStringLower(SHA256.HashData(Content)),
        [$"http://127.0.0.1:{Port}/fake.csv", $"http://127.0.0.1:{Port}/again/fake.csv"]);

    (DataSetException Error, double Seconds, string Progress) FetchFailing(DownloadLimits limits)
    {
        var saved = Console.Error;
        var progress = new StringWriter();
        Console.SetError(progress);
        var clock = Stopwatch.StartNew();
        try
        {
            var e = Assert.Throws<DataSetException>(() => new DataCache(cacheFolder.Path) { Limits = limits }.Fetch(Fake()));
            return (e, clock.Elapsed.TotalSeconds, progress.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }

    /// <summary>Accepts connections until the test ends; each reads the request headers, then runs <paramref name="answer"/>.</summary>
    void Serve(Func<NetworkStream, CancellationToken, Task> answer)
    {
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var request = new StringBuilder();
                        var buffer = new byte[1024];
                        while (!request.ToString().Contains("\r\n\r\n"))
                        {
                            var n = await stream.ReadAsync(buffer, stop.Token);
                            if (n == 0) return;
                            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        }
                        await answer(stream, stop.Token);
                    }
                });
            }
        });
    }
}
