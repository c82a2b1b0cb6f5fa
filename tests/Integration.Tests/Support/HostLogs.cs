using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Recovery.Integration.Tests;

/// <summary>
/// Writes every in-process service's log to .artifacts/logs/&lt;service&gt;.log, so a failed run can be read afterwards
/// (the test runner does not show what the hosts log).
/// </summary>
public sealed class HostLogs(string service) : ILoggerProvider
{
    private static readonly ConcurrentDictionary<string, StreamWriter> Files = new();

    public static string Directory { get; } = Path.Combine(Repository.Root, ".artifacts", "logs");

    private readonly StreamWriter file = Files.GetOrAdd(service, name =>
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new StreamWriter(Path.Combine(Directory, name + ".log"), append: true) { AutoFlush = true };
    });

    public ILogger CreateLogger(string categoryName) => new Logger(file, categoryName);

    public void Dispose() { } // the files stay open for the next host of the same service in this run

    private sealed class Logger(StreamWriter file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}";
            if (exception is not null) line += Environment.NewLine + exception;
            lock (file) file.WriteLine(line);
        }
    }
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
