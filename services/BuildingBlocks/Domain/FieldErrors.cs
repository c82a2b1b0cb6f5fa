namespace Recovery.BuildingBlocks.Domain;

/// <summary>Collects field errors of a request body so one 400 names every problem at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required");
        return value;
    }

    /// <summary>The named value of enumeration <typeparamref name="T"/> (kebab, camel or Pascal spelling), or an error listing them.</summary>
    public T OneOf<T>(string field, string? value) where T : struct, Enum
    {
        if (Recovery.Clinical.Kebab.TryParse<T>(value, out var parsed)) return parsed;
        Add(field, $"must be one of {string.Join(", ", Recovery.Clinical.Kebab.AllOf<T>())}");
        return default;
    }

    public string? RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
        else if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters");
        return value?.Trim();
    }

    public DomainError ToError(string rule = "request-invalid") => new(
        ErrorKind.Invalid,
        rule,
        "The request has invalid fields: " + string.Join("; ", _errors.Select(kv => $"{kv.Key} {string.Join(", ", kv.Value)}")),
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
}
