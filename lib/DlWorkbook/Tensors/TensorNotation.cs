using static TorchSharp.torch;

namespace DlWorkbook.Tensors;

/// <summary>
/// How the workbook writes a tensor's shape and dtype in text, the way PyTorch prints them (<c>[2, 3]</c>,
/// <c>float32</c>): in displays, exercise feedback and every error message that names a shape.
/// </summary>
public static class TensorNotation
{
    /// <summary>The shape as PyTorch lists it, e.g. <c>[16, 3, 12, 12]</c> (<c>list(t.shape)</c>); <c>[]</c> for a scalar.</summary>
    public static string ShapeText(this Tensor t) => $"[{string.Join(", ", t.shape)}]";

    /// <summary>The PyTorch name of a dtype (float32, int64, bool, …), as in <c>str(t.dtype)</c> without <c>torch.</c>.</summary>
    internal static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32", ScalarType.Float64 => "float64", ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16", ScalarType.Int64 => "int64", ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16", ScalarType.Int8 => "int8", ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool", ScalarType.ComplexFloat32 => "complex64", ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
