namespace Sllm.ChatTemplates.Jinja;

/// <summary>One runtime value. Templates only ever see these, never CLR objects (no reflection).</summary>
/// <remarks>Lists and dictionaries are shared by reference, as in the reference implementation (namespaces rely on it).</remarks>
internal sealed class JinjaValue
{
    public static readonly JinjaValue Undefined = new(ValueKind.Undefined);
    public static readonly JinjaValue Null = new(ValueKind.Null);
    public static readonly JinjaValue True = new(ValueKind.Boolean) { Int = 1 };
    public static readonly JinjaValue False = new(ValueKind.Boolean);
    public static readonly JinjaValue EmptyString = new(ValueKind.String) { Str = string.Empty };

    private static readonly JinjaValue[] SmallInts = CreateSmallInts();

    private JinjaValue(ValueKind kind)
    {
        Kind = kind;
    }

    public ValueKind Kind { get; }

    /// <summary>Gets the integer (or boolean as 0/1).</summary>
    public long Int { get; private init; }

    public double Float { get; private init; }

    public string? Str { get; private init; }

    public List<JinjaValue>? List { get; private init; }

    public OrderedDictionary<string, JinjaValue>? Dict { get; private init; }

    public JinjaFunction? Function { get; private init; }

    public bool Bool => Int != 0;

    public bool IsArray => Kind is ValueKind.Array or ValueKind.Tuple;

    public bool IsObject => Kind is ValueKind.Object or ValueKind.KeywordArguments;

    public bool IsNumber => Kind is ValueKind.Integer or ValueKind.Float;

    public bool IsNullOrUndefined => Kind is ValueKind.Null or ValueKind.Undefined;

    /// <summary>Gets the number as a double (integers, floats, booleans).</summary>
    public double Number => Kind == ValueKind.Float ? Float : Int;

    /// <summary>Gets the name the reference uses for this type in its error messages.</summary>
    public string TypeName => Kind switch
    {
        ValueKind.Undefined => "UndefinedValue",
        ValueKind.Null => "NullValue",
        ValueKind.Boolean => "BooleanValue",
        ValueKind.Integer => "IntegerValue",
        ValueKind.Float => "FloatValue",
        ValueKind.String => "StringValue",
        ValueKind.Array => "ArrayValue",
        ValueKind.Tuple => "TupleValue",
        ValueKind.Object => "ObjectValue",
        ValueKind.KeywordArguments => "KeywordArgumentsValue",
        _ => "FunctionValue",
    };

    public static JinjaValue FromBool(bool value) => value ? True : False;

    public static JinjaValue FromInt(long value) =>
        value is >= -1 and < 256 ? SmallInts[value + 1] : new JinjaValue(ValueKind.Integer) { Int = value };

    public static JinjaValue FromFloat(double value) => new(ValueKind.Float) { Float = value };

    public static JinjaValue FromString(string value) =>
        value.Length == 0 ? EmptyString : new JinjaValue(ValueKind.String) { Str = value };

    public static JinjaValue FromList(List<JinjaValue> items) => new(ValueKind.Array) { List = items };

    public static JinjaValue FromTuple(List<JinjaValue> items) => new(ValueKind.Tuple) { List = items };

    public static JinjaValue FromDict(OrderedDictionary<string, JinjaValue> dict) => new(ValueKind.Object) { Dict = dict };

    public static JinjaValue FromKeywordArguments(OrderedDictionary<string, JinjaValue> dict) =>
        new(ValueKind.KeywordArguments) { Dict = dict };

    public static JinjaValue FromFunction(JinjaFunction function) => new(ValueKind.Function) { Function = function };

    /// <summary>Creates a number the way the reference converts JavaScript numbers: integral values are integers.</summary>
    public static JinjaValue FromNumber(double value) =>
        double.IsInteger(value) && Math.Abs(value) < 9.2e18 ? FromInt((long)value) : FromFloat(value);

    /// <summary>Python-style truthiness (<c>__bool__</c>): empty strings, lists and dicts are false.</summary>
    public bool IsTruthy() => Kind switch
    {
        ValueKind.Undefined or ValueKind.Null => false,
        ValueKind.Boolean or ValueKind.Integer => Int != 0,
        ValueKind.Float => Float != 0 && !double.IsNaN(Float),
        ValueKind.String => Str!.Length > 0,
        ValueKind.Array or ValueKind.Tuple => List!.Count > 0,
        ValueKind.Object or ValueKind.KeywordArguments => Dict!.Count > 0,
        _ => true,
    };

    /// <summary>JavaScript truthiness of the raw value, which the reference's <c>not</c> uses: lists and dicts are always true.</summary>
    public bool IsJsTruthy() => Kind switch
    {
        ValueKind.Array or ValueKind.Tuple or ValueKind.Object or ValueKind.KeywordArguments => true,
        _ => IsTruthy(),
    };

    private static JinjaValue[] CreateSmallInts()
    {
        var result = new JinjaValue[257];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new JinjaValue(ValueKind.Integer) { Int = i - 1 };
        }

        return result;
    }
}
