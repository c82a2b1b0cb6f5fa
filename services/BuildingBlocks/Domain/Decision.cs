namespace Recovery.BuildingBlocks.Domain;

/// <summary>How a refusal maps onto HTTP: bad shape 400, no valid token 401, role not allowed 403, unknown 404, state conflict 409, broken rule 422, dependency down 503.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    RuleBroken,
    Unavailable,
    TooLarge,
    Unauthenticated,
    Forbidden,
    UnsupportedMediaType,
}

/// <summary>
/// Why a command was refused. <paramref name="Rule"/> is a stable, kebab-case rule name clients can act on;
/// <paramref name="Errors"/> names each offending field; <paramref name="Values"/> carries the values that broke the rule.
/// </summary>
public sealed record DomainError(
    ErrorKind Kind,
    string Rule,
    string Message,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Values = null)
{
    public static DomainError Invalid(string field, string rule, string message) =>
        new(ErrorKind.Invalid, rule, message, new Dictionary<string, string[]> { [field] = [message] });

    public static DomainError NotFound(string rule, string message) => new(ErrorKind.NotFound, rule, message);

    public static DomainError Conflict(string rule, string message, IReadOnlyDictionary<string, object?>? values = null) =>
        new(ErrorKind.Conflict, rule, message, Values: values);

    public static DomainError RuleBroken(string rule, string message, IReadOnlyDictionary<string, string[]>? errors = null,
        IReadOnlyDictionary<string, object?>? values = null) =>
        new(ErrorKind.RuleBroken, rule, message, errors, values);
}

/// <summary>
/// The outcome of deciding a command: the events to append, or why not. <see cref="Documents"/> are lookup documents
/// written in the same transaction that are not folded from the events (an index of sealed values, a used link code).
/// </summary>
public readonly record struct Decision(IReadOnlyList<object> Events, DomainError? Error, IReadOnlyList<object>? Documents = null)
{
    public bool IsAccepted => Error is null;

    /// <summary>This decision, also storing <paramref name="documents"/> with its events.</summary>
    public Decision Storing(params object[] documents) => this with { Documents = [.. Documents ?? [], .. documents] };

    public static Decision Accept(params object[] events) => new(events, null);

    public static Decision Reject(DomainError error) => new([], error);

    public static implicit operator Decision(DomainError error) => Reject(error);
}

/// <summary>A validated value, or the field errors that stop it.</summary>
public readonly record struct Validated<T>(T? Value, DomainError? Error)
{
    public static implicit operator Validated<T>(T value) => new(value, null);

    public static implicit operator Validated<T>(DomainError error) => new(default, error);

    /// <summary>The next validation, once this one holds.</summary>
    public Validated<TNext> Then<TNext>(Func<T, Validated<TNext>> next) => Error is { } error ? error : next(Value!);
}
