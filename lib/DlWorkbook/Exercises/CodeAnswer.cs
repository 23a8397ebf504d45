using System.Globalization;
using System.Reflection;

namespace DlWorkbook.Exercises;

/// <summary>Calls the learner's function with arguments the check chose; converts numbers to the types the learner used.</summary>
internal delegate object? Invoke(params object?[] arguments);

/// <summary>
/// A piece of code written by the learner, a lambda or a local function, run against reference cases. For a
/// find-the-bug exercise, <c>asGiven</c> is the buggy code the notebook ships: a function that behaves exactly like
/// it on the probe inputs is reported as not attempted rather than wrong.
/// </summary>
internal sealed class CodeAnswer : Answer
{
    readonly Type[] parameters;
    readonly Type result;
    readonly Func<Invoke, Verdict> test;
    readonly Delegate? asGiven;
    readonly Func<Invoke, string>? probe;

    CodeAnswer(string signature, Type[] parameters, Type result, string hint, Func<Invoke, Verdict> test, Delegate? asGiven, Func<Invoke, string>? probe)
    {
        Expects = signature;
        this.parameters = parameters;
        this.result = result;
        Hint = hint;
        this.test = test;
        this.asGiven = asGiven;
        this.probe = probe;
        if ((asGiven is null) != (probe is null)) throw new ArgumentException("A find-the-bug exercise needs both the code as given and a probe.");
    }

    public override string Expects { get; }

    public override string Hint { get; }

    public static CodeAnswer Function<T1, TR>(string signature, string hint, Func<Func<T1, TR>, Verdict> test,
        Func<T1, TR>? asGiven = null, Func<Func<T1, TR>, string>? probe = null) =>
        new(signature, [typeof(T1)], typeof(TR), hint, call => test(a => (TR)call(a)!), asGiven,
            probe is null ? null : call => probe(a => (TR)call(a)!));

    public static CodeAnswer Function<T1, T2, TR>(string signature, string hint, Func<Func<T1, T2, TR>, Verdict> test,
        Func<T1, T2, TR>? asGiven = null, Func<Func<T1, T2, TR>, string>? probe = null) =>
        new(signature, [typeof(T1), typeof(T2)], typeof(TR), hint, call => test((a, b) => (TR)call(a, b)!), asGiven,
            probe is null ? null : call => probe((a, b) => (TR)call(a, b)!));

    public static CodeAnswer Function<T1, T2, T3, TR>(string signature, string hint, Func<Func<T1, T2, T3, TR>, Verdict> test) =>
        new(signature, [typeof(T1), typeof(T2), typeof(T3)], typeof(TR), hint, call => test((a, b, c) => (TR)call(a, b, c)!), null, null);

    public static CodeAnswer Function<T1, T2, T3, T4, TR>(string signature, string hint, Func<Func<T1, T2, T3, T4, TR>, Verdict> test) =>
        new(signature, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], typeof(TR), hint,
            call => test((a, b, c, d) => (TR)call(a, b, c, d)!), null, null);

    public static CodeAnswer Function<T1, T2, T3, T4, T5, TR>(string signature, string hint, Func<Func<T1, T2, T3, T4, T5, TR>, Verdict> test) =>
        new(signature, [typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5)], typeof(TR), hint,
            call => test((a, b, c, d, e) => (TR)call(a, b, c, d, e)!), null, null);

    public static CodeAnswer Action<T1, T2, T3>(string signature, string hint, Func<Action<T1, T2, T3>, Verdict> test) =>
        new(signature, [typeof(T1), typeof(T2), typeof(T3)], typeof(void), hint, call => test((a, b, c) => call(a, b, c)), null, null);

    public static CodeAnswer Action<T1, T2, T3, T4>(string signature, string hint, Func<Action<T1, T2, T3, T4>, Verdict> test) =>
        new(signature, [typeof(T1), typeof(T2), typeof(T3), typeof(T4)], typeof(void), hint, call => test((a, b, c, d) => call(a, b, c, d)), null, null);

    public override Verdict Judge(object answer)
    {
        if (answer is string)
            return Verdict.NotYet("This exercise takes code, which cannot be passed on the command line.",
                "Write the function in the program (where it says `throw Exercise.Todo;`) and run it again.");
        if (answer is not Delegate function) return Verdict.WrongKind(answer, Expects);
        var declared = function.GetType().GetMethod("Invoke")!.GetParameters();
        if (declared.Length != parameters.Length)
            return Verdict.NotYet($"Your function takes {declared.Length} parameter{(declared.Length == 1 ? "" : "s")}; the check calls {Expects}.",
                "Keep the parameters of the starter code.");
        var call = Adapt(function);
        if (asGiven is not null && SameAsGiven(call)) return new Verdict(ExerciseStatus.NotAttempted,
            "This is still the code as given, bug included. Find the bug, fix it, and run the cell again.", null);
        return test(call);
    }

    bool SameAsGiven(Invoke call)
    {
        try
        {
            return probe!(call) == probe(Adapt(asGiven!));
        }
        catch (LearnerCodeException)
        {
            return false;
        }
    }

    Invoke Adapt(Delegate function)
    {
        var declared = function.GetType().GetMethod("Invoke")!;
        var parameterInfos = declared.GetParameters();
        return arguments =>
        {
            var converted = new object?[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
                converted[i] = ConvertTo(arguments[i], parameterInfos[i].ParameterType,
                    () => $"Your function's parameter `{parameterInfos[i].Name}` is {TypeName(parameterInfos[i].ParameterType)}, but the check passes {TypeName(parameters[i])}: it expects {Expects}.");
            object? value;
            try
            {
                value = function.DynamicInvoke(converted);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                var inner = e.InnerException;
                throw new LearnerCodeException($"Your code threw {inner.GetType().Name}: {inner.Message.Split('\n')[0].Trim()}", inner);
            }
            if (result == typeof(void)) return null;
            return ConvertTo(value, result, () => $"Your function returned {(value is null ? "null" : AnswerText.Describe(value))}; the check expects {TypeName(result)}.");
        };
    }

    static object? ConvertTo(object? value, Type target, Func<string> mismatch)
    {
        if (value is null || target.IsInstanceOfType(value)) return value;
        if (AnswerText.IsNumber(value) && IsNumberType(target))
        {
            try { return Convert.ChangeType(value, target, CultureInfo.InvariantCulture); }
            catch (OverflowException) { }
        }
        throw new LearnerCodeException(mismatch());
    }

    static bool IsNumberType(Type t) => Type.GetTypeCode(t) is >= TypeCode.SByte and <= TypeCode.Decimal;

    static string TypeName(Type t) => Type.GetTypeCode(t) switch
    {
        TypeCode.Int32 => "an int", TypeCode.Int64 => "a long", TypeCode.Double => "a double", TypeCode.Single => "a float",
        TypeCode.String => "a string", TypeCode.Boolean => "a bool",
        _ => $"a {t.Name}",
    };
}
