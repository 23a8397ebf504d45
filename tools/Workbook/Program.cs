using WorkbookTool;

// dotnet run --project tools/Workbook -- <command> [options]; `help` lists the commands.
return Cli.Run(args, Workspace.Find());
