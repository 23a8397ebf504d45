namespace WorkbookTool;

/// <summary>What the devcontainer runs after it is created: everything a notebook needs, without running the notebooks.</summary>
public static class Prepare
{
    /// <summary>Fetches every data set into the cache through the course library (tools/DataFetch).</summary>
    public static Step Data { get; } = new("data", (workspace, _) =>
        workspace.Dotnet("run", "--project", "tools/DataFetch", "-c", "Release", "-v", "quiet", "-clp:ErrorsOnly"));
}
