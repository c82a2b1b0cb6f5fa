using Marten;
using Recovery.Assessment.Episodes;
using Recovery.BuildingBlocks.Commands;
using Recovery.BuildingBlocks.Domain;
using Recovery.BuildingBlocks.Privacy;

namespace Recovery.Assessment.Patients;

/// <summary>
/// The clinic marked its registration entered in error: the person registered is not the network patient it was linked to
/// (a wrong link). The registration no longer links that patient anywhere; the stream and its facts stay in the store.
/// <see cref="RegisteredEventId"/> is the registration's own PatientRegistered event, as published.
/// </summary>
public sealed record RegistrationEnteredInError(Guid RegistrationId, Guid PatientId, Guid RegisteredEventId, Sealed Reason,
    DateTimeOffset EnteredInErrorAt);

public sealed record EnterRegistrationInError(string Reason, DateTimeOffset Now);

public sealed record EnterRegistrationInErrorRequest(string? Reason)
{
    public Validated<EnterRegistrationInError> Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var reason = errors.RequiredText("reason", Reason, 500);
        return errors.Any ? errors.ToError() : new EnterRegistrationInError(reason!, now);
    }
}

/// <summary>
/// What a registration's correction reads besides the registration: the assessments this clinic recorded for the patient
/// (every plan, dose, screen and relapse monitoring rests on one), the clinic's other live registrations of the same network
/// patient, the registration's index and the id of its PatientRegistered event.
/// </summary>
public sealed record RegistrationCare(int Assessments, int OtherRegistrations, RegistrationIndex? Index, Guid RegisteredEventId)
{
    public static readonly RegistrationCare None = new(0, 0, null, Guid.Empty);

    /// <summary>Read only for a correction: registering reads what it needs itself.</summary>
    public static async Task<RegistrationCare> Of(RegisteredPatient? registration, object command, CommandContext context)
    {
        if (registration is null || command is not EnterRegistrationInError) return None;
        var session = context.Session;
        var ct = context.Cancellation;
        var assessments = await session.Query<AssessmentEpisode>().CountAsync(a => a.PatientId == registration.PatientId, ct);
        var others = await session.Query<RegistrationIndex>()
            .CountAsync(r => r.PatientId == registration.PatientId && r.Id != registration.Id && !r.Unlinked, ct);
        var index = await session.LoadAsync<RegistrationIndex>(registration.Id, ct);
        var first = (await session.Events.FetchStreamAsync(registration.Id, version: 1, token: ct)).FirstOrDefault();
        return new RegistrationCare(assessments, others, index, first?.Id ?? Guid.Empty);
    }
}

public static class RegistrationCorrection
{
    /// <summary>
    /// A registration linked to the wrong network patient is marked entered in error, which unlinks it: its index is no longer
    /// searched or matched, and the Timeline drops the clinic's entries of the person from the patient's record. Refused while
    /// care at this clinic rests on it (an assessment, and so any plan, dose, screen or monitoring), since those facts would
    /// be left on a registration of nobody: the clinic corrects them first. Refused too while the clinic holds another live
    /// registration of the same patient, since the Timeline could not tell the clinic's entries of the two apart.
    /// </summary>
    public static Decision Decide(RegisteredPatient registration, EnterRegistrationInError command, RegistrationCare care, Sealer seal)
    {
        if (registration.EnteredInError)
            return DomainError.Conflict("registration-entered-in-error",
                $"Registration {registration.Id} was already marked entered in error.",
                new Dictionary<string, object?> { ["registrationId"] = registration.Id });
        if (care.Assessments > 0)
            return Refused("registration-has-care",
                $"{care.Assessments} assessment(s) of patient {registration.PatientId} at this clinic rest on registration {registration.Id}; " +
                "a registration can be marked entered in error only before any care is recorded under it.", registration, care.Assessments);
        if (care.OtherRegistrations > 0)
            return Refused("patient-registered-again-here",
                $"This clinic holds {care.OtherRegistrations} other registration(s) of patient {registration.PatientId}; their entries " +
                "could not be told apart from this one's. Mark the others entered in error first, or merge them.", registration, care.OtherRegistrations);
        var decision = Decision.Accept(new RegistrationEnteredInError(registration.Id, registration.PatientId, care.RegisteredEventId,
            seal(command.Reason), command.Now));
        return care.Index is { } index ? decision.Storing(index with { Unlinked = true }) : decision;
    }

    private static DomainError Refused(string rule, string message, RegisteredPatient registration, int count) =>
        new(ErrorKind.Conflict, rule, message, new Dictionary<string, string[]> { ["registrationId"] = [message] },
            new Dictionary<string, object?> { ["registrationId"] = registration.Id, ["patientId"] = registration.PatientId, ["count"] = count });
}
