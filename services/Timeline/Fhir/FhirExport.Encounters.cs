using Hl7.Fhir.Model;
using Recovery.Contracts;

namespace Recovery.Timeline.Fhir;

public static partial class FhirExport
{
    private enum SessionOutcome { Attended, Missed, Cancelled }

    /// <summary>
    /// A treatment episode (it starts with an assessment) as an EpisodeOfCare, opened at its first fact by that
    /// fact's clinic; sessions and doses point at it.
    /// </summary>
    private static void OpenEpisode(ExportedRecord record, Guid episodeId, IPatientEvent first)
    {
        var id = IdFor("EpisodeOfCare", episodeId);
        if (record.Find<EpisodeOfCare>(id) is not null)
            return;
        record.Episodes.Add(episodeId);
        record.Put(Labelled(new EpisodeOfCare
        {
            Identifier = [new Identifier("urn:recovery:episode", episodeId.ToString())],
            Status = EpisodeOfCare.EpisodeOfCareStatus.Active,
            Type = [new CodeableConcept { Text = "opioid use disorder treatment" }],
            Patient = record.Patient,
            ManagingOrganization = Clinic(first.ClinicId),
            Period = new Period { Start = DateTimeOf(first.ClinicalTime()) },
        }, id, first.ClinicId));
    }

    /// <summary>The patient started a new episode: monitoring of this one ends, and so does the episode.</summary>
    private static void CloseEpisode(ExportedRecord record, Guid episodeId, DateTimeOffset at)
    {
        if (record.Find<EpisodeOfCare>(IdFor("EpisodeOfCare", episodeId)) is not { } episode)
            return;
        episode.Status = EpisodeOfCare.EpisodeOfCareStatus.Finished;
        // Facts come in clinical order, so the episode's start is its earliest fact; the end is never before it.
        var start = episode.Period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero);
        (episode.Period ??= new Period()).End = DateTimeOf(start is { } from && from > at ? from : at);
        record.Touch(episode.Id!);
    }

    /// <summary>
    /// An episode's diagnosis is the use disorder found at the assessment that opened it (the episode id is that
    /// assessment's id); its detox plans address the same Condition. Linked once all facts are in, since a later
    /// criteria count may have removed the Condition.
    /// </summary>
    private static void LinkToDiagnoses(ExportedRecord record)
    {
        foreach (var episodeId in record.Episodes)
        {
            if (record.ReferenceIfPresent<Condition>(IdFor("Condition", episodeId)) is not { } condition)
                continue;
            record.Find<EpisodeOfCare>(IdFor("EpisodeOfCare", episodeId))!.Diagnosis =
                [new EpisodeOfCare.DiagnosisComponent { Condition = condition }];
            foreach (var (planId, _) in record.PlanEpisodes.Where(p => p.Value == episodeId))
                record.Find<CarePlan>(IdFor("CarePlan", planId))?.Addresses.Add(condition);
        }
    }

    internal static ResourceReference? EpisodeReference(Guid? episodeId) =>
        episodeId is { } id ? Reference(IdFor("EpisodeOfCare", id)) : null;

    // Sessions and group meetings happen at the clinic: class AMB (ambulatory) from v3-ActCode, as FHIR R4 binds it.
    private static Coding Ambulatory() => new(FhirCodes.ActCode, "AMB", "ambulatory");

    // R4 Encounter has no "no-show" status: a missed or called-off session is "cancelled", and the core extension
    // encounter-reasonCancelled says which.
    private const string ReasonCancelled = "http://hl7.org/fhir/StructureDefinition/encounter-reasonCancelled";

    private static Encounter Visit(ExportedRecord record, Guid id, IPatientEvent fact, string kind, SessionOutcome outcome, Period period)
    {
        var encounter = Labelled(new Encounter
        {
            Status = outcome == SessionOutcome.Attended ? Encounter.EncounterStatus.Finished : Encounter.EncounterStatus.Cancelled,
            Class = Ambulatory(),
            Type = [new CodeableConcept { Text = kind }],
            Subject = record.Patient,
            Period = period,
            ServiceProvider = Clinic(fact.ClinicId),
        }, id, fact.ClinicId);
        if (EpisodeReference(fact.EpisodeId) is { } episode)
            encounter.EpisodeOfCare.Add(episode);
        if (outcome != SessionOutcome.Attended)
            encounter.Extension.Add(new Extension(ReasonCancelled, new CodeableConcept
            {
                Text = outcome == SessionOutcome.Missed ? "patient did not attend" : "called off before it took place",
            }));
        return encounter;
    }

    /// <summary>One Encounter per counseling session; its latest outcome wins.</summary>
    private static Encounter CounselingSession(
        ExportedRecord record, IPatientEvent fact, Guid sessionId, SessionOutcome outcome, DateTimeOffset at, int? durationMinutes)
    {
        var period = new Period { Start = DateTimeOf(at) };
        if (durationMinutes is { } minutes)
            period.End = DateTimeOf(at.AddMinutes(minutes));
        var encounter = Visit(record, IdFor("Encounter", sessionId), fact, "counseling session", outcome, period);
        if (durationMinutes is { } length)
            encounter.Length = new Duration { Value = length, Unit = "min", System = FhirCodes.UcumSystem, Code = "min" };
        if (record.Counselors.TryGetValue(sessionId, out var counselor))
            encounter.Participant.Add(new Encounter.ParticipantComponent { Individual = new ResourceReference { Display = counselor } });
        return encounter;
    }

    /// <summary>A help-group meeting the patient attended or missed (the group's name stays at the clinic).</summary>
    private static Encounter HelpGroupMeeting(
        ExportedRecord record, Guid eventId, IPatientEvent fact, SessionOutcome outcome, DateOnly meetingOn) =>
        Visit(record, IdFor("Encounter", eventId), fact, "help group meeting", outcome, new Period { Start = Date(meetingOn) });
}
