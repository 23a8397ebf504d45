namespace DlWorkbook.Data;

/// <summary>
/// A data set could not be fetched or read. The message names the data set, the file and what to do,
/// for example where to put a copy when there is no network.
/// </summary>
/// <remarks>
/// d2l raises whatever <c>requests</c> or <c>torchvision</c> raise; here every data problem has one type,
/// so a notebook can catch it and a learner reads one sentence instead of a stack trace.
/// </remarks>
public sealed class DataSetException(string message, Exception? inner = null) : Exception(message, inner);
