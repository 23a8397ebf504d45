namespace DlWorkbook.Runtime;

/// <summary>TorchSharp's native libraries cannot load; the message names the cause and the fix.</summary>
public sealed class TorchNativeException(string message, Exception? inner = null) : Exception(message, inner);
