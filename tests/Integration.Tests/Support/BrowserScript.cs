using System.Diagnostics;

namespace Recovery.Integration.Tests;

/// <summary>
/// Runs one of tests/WebView's scripts in node, driving Debian's Chromium through playwright-core; a missing browser or
/// package fails the test saying how to install it.
/// </summary>
public static class BrowserScript
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The script's exit code and its output; -1 when it was killed at <paramref name="timeout"/>.</summary>
    public static async Task<(int Exit, string Output)> Run(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var webView = Path.Combine(Repository.Root, "tests", "WebView");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run `bash deploy/browser.sh` (apt-get install -y chromium).");
        Assert.True(Directory.Exists(Path.Combine(webView, "node_modules", "playwright-core")),
            "tests/WebView/node_modules is missing: run `bash deploy/browser.sh` (npm ci --prefix tests/WebView).");

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(webView, script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout.TotalSeconds} s\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }
}
