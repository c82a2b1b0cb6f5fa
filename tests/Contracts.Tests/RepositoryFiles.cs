namespace Recovery.Contracts.Tests;

/// <summary>Files of the checkout the tests read (and, on request, write).</summary>
public static class RepositoryFiles
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException($"no Platform.sln above {AppContext.BaseDirectory}");
    }
}
