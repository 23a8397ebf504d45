namespace DlWorkbook.Tests;

/// <summary>Tests that count live tensors, swap the console or reseed the global generator run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
