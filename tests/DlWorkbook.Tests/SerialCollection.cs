namespace DlWorkbook.Tests;

/// <summary>
/// Tests that count live tensors, swap the console or reseed the global generator run alone: one at a time, with no other
/// test in their process. Every class of the collection also carries the trait <see cref="Trait"/> = <see cref="Alone"/>,
/// by which the test command runs them in a test process of their own, beside the others; a plain <c>dotnet test</c>
/// runs them after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";

    /// <summary>The trait's name and value: the test command's filter (<c>Steps.DotnetTestRuns</c>).</summary>
    public const string Trait = WorkbookTool.Steps.AloneTraitName, Alone = WorkbookTool.Steps.AloneTraitValue;
}
