using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Recovery.Contracts;
using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Counseling.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Contracts.Relapse.V1;

namespace Recovery.Timeline.Fhir;

/// <summary>
/// The FHIR R4 export of a patient's network record: a pure mapping from the facts the caller may see (and the
/// patient's consents) to a "collection" Bundle. The caller filters by consent and logs the disclosure.
/// <para>
/// Ids are stable: the Patient keeps the network patient id; every other resource gets a name-based UUID (v5) of
/// its resource type and the event or aggregate it comes from, so exporting twice gives the same ids, and a plan,
/// an assessment and an episode that share a Guid still get distinct resources. Entries are addressed and
/// referenced as "urn:uuid:&lt;id&gt;". The clinic that recorded a resource is in meta.source ("urn:clinic:&lt;id&gt;").
/// </para>
/// </summary>
public static partial class FhirExport
{
    public static Bundle Build(
        Guid patientId, IReadOnlyList<RecordedFact> facts, IReadOnlyList<SharedConsent> consents, DateTimeOffset exportedAt)
    {
        var record = new ExportedRecord(patientId);
        record.Put(PatientOf(patientId, facts.Select(f => f.Fact).OfType<PatientRegistered>().FirstOrDefault()));
        foreach (var fact in facts)
        {
            // An amendment rebuilds the resources of the fact it amends, under their ids: the corrected values replace the old.
            var recorded = fact.Fact.Amends is { } amended ? fact with { EventId = amended } : fact;
            if (recorded.Fact is Recovery.Contracts.Corrections.V1.FactEnteredInError error)
            {
                MarkEnteredInError(record, error.EnteredInErrorEventId);
                continue;
            }
            if (recorded.Fact.EpisodeId is { } episodeId)
                OpenEpisode(record, episodeId, recorded.Fact);
            record.Touched.Clear();
            Add(record, recorded);
            record.ResourcesOf[recorded.EventId] = [.. record.Touched];
            if (fact.Fact.Amends is not null)
                foreach (var observation in record.Touched.Select(id => record.Find<Observation>(Guid.Parse(id))).OfType<Observation>())
                    observation.Status = ObservationStatus.Amended;
            // Clinical times are in each resource's effective, period or occurrence; the recorded time goes where FHIR has a place.
            foreach (var observation in record.Touched.Select(id => record.Find<Observation>(Guid.Parse(id))).OfType<Observation>())
                observation.Issued ??= recorded.Fact.OccurredAt;
            if (recorded.Fact.RecordedBy is { } by && record.Touched.Count > 0) record.Put(Provenance(recorded, by, [.. record.Touched]));
        }
        LinkToDiagnoses(record);
        foreach (var consent in consents)
            record.Put(SharingConsent(record, consent, exportedAt));

        var bundle = new Bundle
        {
            Id = IdFor("Bundle", patientId, exportedAt.UtcDateTime.ToString("O")).ToString(),
            Meta = new Meta { Security = FhirCodes.SecurityLabels() },
            Type = Bundle.BundleType.Collection,
            Timestamp = exportedAt,
        };
        foreach (var (id, resource) in record.Entries)
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Url(id), Resource = resource });
        return bundle;
    }

    private static void Add(ExportedRecord record, RecordedFact recorded)
    {
        var eventId = recorded.EventId;
        switch (recorded.Fact)
        {
            case OudCriteriaRecorded c:
                record.Replace(IdFor("Condition", c.AssessmentId),
                    OpioidUseDisorder(record, c, c.AssessmentId, c.CriteriaCounted, c.Severity, c.Icd10Code));
                break;
            case AssessmentCompleted c:
                record.Replace(IdFor("Condition", c.AssessmentId),
                    OpioidUseDisorder(record, c, c.AssessmentId, c.CriteriaCounted, c.Severity, c.Icd10Code));
                break;
            case LabResultRecorded l:
                record.Put(LabResult(record, eventId, l));
                break;
            case CardiovascularStatusRecorded c:
                foreach (var observation in Cardiovascular(record, eventId, c))
                    record.Put(observation);
                break;
            case WithdrawalScored w:
                record.Put(WithdrawalScore(record, eventId, w, w.ScoredAt, w.Items, w.Total, w.Band));
                break;
            case DetoxWithdrawalChecked w:
                record.Put(WithdrawalScore(record, eventId, w, w.ScoredAt, w.Items, w.Total, w.Band));
                break;
            case DetoxPlanDrafted d:
                record.Put(DetoxPlan(record, d));
                break;
            case DetoxPlanApproved a:
                UpdatePlan(record, a.PlanId, plan => SetPlanStatus(plan, RequestStatus.Active, start: a.ClinicalTime()));
                break;
            case MedicationSwitched s:
                UpdatePlan(record, s.PlanId, plan => Reschedule(plan, s.ToMedication, s.Schedule));
                break;
            case DetoxCompleted c:
                UpdatePlan(record, c.PlanId, plan => SetPlanStatus(plan, RequestStatus.Completed, end: c.CompletedOn));
                break;
            case DetoxDroppedOut d:
                UpdatePlan(record, d.PlanId, plan => SetPlanStatus(plan, RequestStatus.Revoked, end: d.DroppedOutOn));
                break;
            case DoseGiven d:
                record.Put(Dose(record, eventId, d));
                break;
            case DoseMissed m:
                record.Put(MissedDose(record, eventId, m));
                break;
            case CounselingSessionScheduled s:
                record.Counselors[s.SessionId] = s.Counselor;
                break;
            case CounselingSessionAttended a:
                record.Put(CounselingSession(record, a, a.SessionId, SessionOutcome.Attended, a.AttendedAt, a.DurationMinutes));
                break;
            case CounselingSessionMissed m:
                record.Put(CounselingSession(record, m, m.SessionId, SessionOutcome.Missed, m.ScheduledFor, null));
                break;
            case CounselingSessionCancelled c:
                record.Put(CounselingSession(record, c, c.SessionId, SessionOutcome.Cancelled, c.ScheduledFor, null));
                break;
            case HelpGroupMeetingAttended a:
                record.Put(HelpGroupMeeting(record, eventId, a, SessionOutcome.Attended, a.MeetingOn));
                break;
            case HelpGroupMeetingMissed m:
                record.Put(HelpGroupMeeting(record, eventId, m, SessionOutcome.Missed, m.MeetingOn));
                break;
            case UrineScreenRecorded u:
                record.Put(UrineScreen(record, eventId, u));
                break;
            case ReturnedToTreatment r when r.EpisodeId is { } episodeId:
                CloseEpisode(record, episodeId, r.ClinicalTime());
                break;
            // Facts with no FHIR resource of their own here (they shape others, or stay in their service's view):
            // registration (the Patient), assessment start, help-group enrolment, last opioid use, the
            // pre-induction screen, monitoring, self-reported use, missed visits and relapse findings.
        }
    }

    /// <summary>The resources a fact made, marked entered in error (the fact's clinic said it should not have been recorded).</summary>
    private static void MarkEnteredInError(ExportedRecord record, Guid eventId)
    {
        foreach (var id in record.ResourcesOf.GetValueOrDefault(eventId) ?? [])
            switch (record.Find<Resource>(Guid.Parse(id)))
            {
                case Observation o: o.Status = ObservationStatus.EnteredInError; break;
                case MedicationAdministration m: m.Status = MedicationAdministration.MedicationAdministrationStatusCodes.EnteredInError; break;
                case Encounter e: e.Status = Encounter.EncounterStatus.EnteredInError; break;
                case Condition c: c.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error"); break;
            }
    }

    /// <summary>
    /// Who recorded a fact and when, for the resources it made or changed: the authenticated user as the enterer, acting for
    /// the recording clinic. Facts the platform derived itself have no recorder and no Provenance.
    /// </summary>
    private static Provenance Provenance(RecordedFact recorded, Recorder by, IReadOnlyList<string> targets) =>
        Labelled(new Provenance
        {
            Target = targets.Select(id => new ResourceReference(Url(id))).ToList(),
            Recorded = recorded.Fact.OccurredAt,
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept(FhirCodes.ProvenanceParticipants, "enterer", "Enterer"),
                    Role = [new CodeableConcept { Text = by.Role }],
                    Who = new ResourceReference { Identifier = new Identifier(FhirCodes.UserIds, by.UserId), Display = by.UserId },
                    OnBehalfOf = Clinic(recorded.Fact.ClinicId),
                },
            ],
        }, IdFor("Provenance", recorded.EventId), recorded.Fact.ClinicId);

    private static Patient PatientOf(Guid patientId, PatientRegistered? registered)
    {
        // The network record has no name, contact or full birth date: only sex and birth year, on purpose.
        var patient = Labelled(new Patient
        {
            Identifier = [new Identifier(FhirCodes.PatientIds, patientId.ToString())],
        }, patientId, registered?.ClinicId);
        if (registered is null)
            return patient;
        patient.Gender = registered.Sex switch
        {
            "female" => AdministrativeGender.Female,
            "male" => AdministrativeGender.Male,
            "other" => AdministrativeGender.Other,
            _ => AdministrativeGender.Unknown,
        };
        patient.BirthDate = registered.BirthYear.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        return patient;
    }

    /// <summary>A name-based UUID (RFC 4122 version 5, SHA-1) of a resource type and the id it derives from.</summary>
    internal static Guid IdFor(string resourceType, Guid source, string? part = null)
    {
        var name = Encoding.UTF8.GetBytes(part is null ? $"{resourceType}/{source}" : $"{resourceType}/{source}/{part}");
        Span<byte> input = stackalloc byte[16 + name.Length];
        IdNamespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        name.CopyTo(input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return new Guid(uuid, bigEndian: true);
    }

    // Fixed for ever: changing it would change every exported id.
    private static readonly Guid IdNamespace = new("6f1c2b0e-4a57-4d0c-9a51-3c7e2f8b9d14");

    internal static string Url(string id) => $"urn:uuid:{id}";

    internal static ResourceReference Reference(Guid id) => new(Url(id.ToString()));

    /// <summary>Sets the id, the security labels and the clinic that recorded the resource.</summary>
    internal static T Labelled<T>(T resource, Guid id, string? clinicId) where T : Resource
    {
        resource.Id = id.ToString();
        resource.Meta = new Meta
        {
            Source = clinicId is null ? null : FhirCodes.ClinicSource(clinicId),
            Security = FhirCodes.SecurityLabels(),
        };
        return resource;
    }

    /// <summary>A FHIR dateTime with its offset (fractional seconds only when there are some).</summary>
    internal static string DateTimeOf(DateTimeOffset at) =>
        at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An identifier-only reference to a clinic: the network has no Organization resources to point at.</summary>
    internal static ResourceReference Clinic(string clinicId) => new()
    {
        Identifier = new Identifier(FhirCodes.ClinicIds, clinicId),
        Display = clinicId,
    };
}

/// <summary>The resources built so far, in first-seen order; a later fact may replace or remove one.</summary>
internal sealed class ExportedRecord(Guid patientId)
{
    private readonly OrderedDictionary<string, Resource> resources = new(StringComparer.Ordinal);

    public ResourceReference Patient { get; } = FhirExport.Reference(patientId);

    /// <summary>Counselor per counseling session, from its scheduling (the outcome events do not repeat it).</summary>
    public Dictionary<Guid, string> Counselors { get; } = [];

    /// <summary>The current medication per detox plan, to name it on a missed dose.</summary>
    public Dictionary<Guid, string> PlanMedications { get; } = [];

    /// <summary>The treatment episode of each detox plan (a CarePlan has no field for it; its Condition does).</summary>
    public Dictionary<Guid, Guid> PlanEpisodes { get; } = [];

    /// <summary>The treatment episodes seen, in order.</summary>
    public List<Guid> Episodes { get; } = [];

    public IEnumerable<KeyValuePair<string, Resource>> Entries => resources;

    public IEnumerable<Resource> Resources => resources.Values;

    /// <summary>The resources each fact (by event id) made or changed, so a later correction finds them.</summary>
    public Dictionary<Guid, List<string>> ResourcesOf { get; } = [];

    /// <summary>The resources the fact being added made or changed, for its Provenance.</summary>
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    public void Touch(string id) => Touched.Add(id);

    public void Put(Resource resource)
    {
        var id = resource.Id ?? throw new ArgumentException("A resource needs its id before it goes on the record.");
        resources[id] = resource;
        Touched.Add(id);
    }

    public void Replace(Guid id, Resource? resource)
    {
        if (resource is null)
            resources.Remove(id.ToString());
        else
            Put(resource);
    }

    public T? Find<T>(Guid id) where T : Resource => resources.GetValueOrDefault(id.ToString()) as T;

    public ResourceReference? ReferenceIfPresent<T>(Guid id) where T : Resource =>
        Find<T>(id) is null ? null : FhirExport.Reference(id);
}
