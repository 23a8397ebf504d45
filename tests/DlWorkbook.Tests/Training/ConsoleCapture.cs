namespace DlWorkbook.Tests.Training;

/// <summary>Runs code with the console redirected and returns what it printed, line by line. Use in the serial collection.</summary>
internal static class ConsoleCapture
{
    public static (T Result, string[] Lines) Run<T>(Func<T> run)
    {
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var result = run();
            return (result, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
