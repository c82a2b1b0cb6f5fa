using System.Text.Json;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.BuildingBlocks.Corrections;

/// <summary>
/// A recorded fact as a correction names it: its event id, its position in its stream (the aggregate's items remember
/// the version they came from), the fact itself, and its kind as consumers know it (the kebab name of the contract it is
/// published as, e.g. detox-withdrawal-checked for Detox's WithdrawalChecked).
/// </summary>
public sealed record FactRef(Guid EventId, long Version, object Data, string Kind);

/// <summary>
/// What a clinician asks of a fact: that it be marked entered in error, or amended with new values (the request's fields
/// other than the reason, read by the aggregate for the fact's kind). The reason is free text about a person: sealed.
/// </summary>
public sealed record Correction(bool IsAmendment, string Reason, JsonElement Values)
{
    /// <summary>The amendment's values as <typeparamref name="T"/>, or the field error that stops it.</summary>
    public Validated<T> ValuesAs<T>(Func<T, FieldErrors, T?> check) where T : class
    {
        T? values;
        try { values = Values.Deserialize<T>(Json); }
        catch (JsonException e) { return DomainError.Invalid(string.IsNullOrEmpty(e.Path) ? "body" : e.Path.TrimStart('$', '.'), "malformed-json", e.Message); }
        var errors = new FieldErrors();
        var valid = values is null ? null : check(values, errors);
        if (errors.Any || valid is null) return errors.Any ? errors.ToError() : DomainError.Invalid("body", "request-invalid", "The amendment has no values.");
        return valid;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };
}

/// <summary>
/// A fact was marked entered in error (domain event, in the fact's own stream). Every decision from then on behaves as if
/// it had not been recorded; the original stays in the store. <see cref="Kind"/> is the fact's kind as published (<see cref="FactRef.Kind"/>).
/// </summary>
public sealed record FactEnteredInError(Guid FactEventId, long FactVersion, string Kind, Guid PatientId, Guid? EpisodeId, Sealed Reason);

public static class Corrections
{
    /// <summary>A correction the fact's kind does not allow.</summary>
    public static DomainError NotCorrectable(FactRef fact, bool amendment) => DomainError.RuleBroken(
        amendment ? "fact-not-amendable" : "fact-not-correctable",
        $"A {Recovery.Clinical.Kebab.Of(fact.Data.GetType().Name)} cannot be {(amendment ? "amended" : "marked entered in error")} here.",
        values: new Dictionary<string, object?> { ["eventId"] = fact.EventId, ["kind"] = Recovery.Clinical.Kebab.Of(fact.Data.GetType().Name) });

    /// <summary>The fact was corrected before: a second correction is refused.</summary>
    public static DomainError AlreadyCorrected(FactRef fact) => DomainError.Conflict("fact-already-corrected",
        $"Fact {fact.EventId} was already marked entered in error or amended.",
        new Dictionary<string, object?> { ["eventId"] = fact.EventId });
}
