using System.Globalization;
using Hl7.Fhir.Model;
using Recovery.Contracts;
using Recovery.Contracts.Detox.V1;

namespace Recovery.Timeline.Fhir;

public static partial class FhirExport
{
    /// <summary>
    /// A detox plan as a CarePlan: draft when drafted, active once a second clinician approved it, completed or
    /// revoked (dropped out) at its end. One activity per dose phase, with its daily amount.
    /// </summary>
    private static CarePlan DetoxPlan(ExportedRecord record, DetoxPlanDrafted drafted)
    {
        var plan = Labelled(new CarePlan
        {
            Status = RequestStatus.Draft,
            Intent = CarePlan.CarePlanIntent.Plan,
            Subject = record.Patient,
            Created = DateTimeOf(drafted.ClinicalTime()),
            Author = new ResourceReference { Display = drafted.DraftedBy },
        }, IdFor("CarePlan", drafted.PlanId), drafted.ClinicId);
        Reschedule(plan, drafted.Medication, drafted.Schedule);
        record.PlanMedications[drafted.PlanId] = drafted.Medication;
        if (drafted.EpisodeId is { } episodeId)
            record.PlanEpisodes[drafted.PlanId] = episodeId;
        return plan;
    }

    /// <summary>Later plan facts change the plan drafted before them; one whose draft is not visible is left out.</summary>
    private static void UpdatePlan(ExportedRecord record, Guid planId, Action<CarePlan> change)
    {
        if (record.Find<CarePlan>(IdFor("CarePlan", planId)) is { } plan)
        {
            change(plan);
            record.Touch(plan.Id!);
        }
    }

    private static void Reschedule(CarePlan plan, string medication, IReadOnlyList<DosePhase> schedule)
    {
        plan.Title = $"Detox with {medication}";
        plan.Description = string.Join("; ", schedule.Select(PhaseText));
        plan.Activity = schedule.Select(phase => new CarePlan.ActivityComponent
        {
            Detail = new CarePlan.DetailComponent
            {
                Kind = CarePlan.CarePlanActivityKind.MedicationRequest,
                Status = ActivityStatus(plan.Status),
                Product = FhirCodes.Medication(medication),
                DailyAmount = FhirCodes.Ucum(phase.DailyDoseMg, "mg", "mg"),
                Description = PhaseText(phase),
            },
        }).ToList();
    }

    private static string PhaseText(DosePhase phase) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase.Phase}: {phase.Days} days at {phase.DailyDoseMg} mg a day");

    private static void SetPlanStatus(CarePlan plan, RequestStatus status, DateTimeOffset? start = null, DateOnly? end = null)
    {
        plan.Status = status;
        plan.Period ??= new Period();
        if (start is { } startedAt)
            plan.Period.Start = DateTimeOf(startedAt);
        if (end is { } endedOn)
            plan.Period.End = Date(endedOn);
        // A period never ends before it starts: a plan closed on the day it was approved ends that day.
        if (plan.Period.StartElement?.ToDateTimeOffset(TimeSpan.Zero) is { } from && plan.Period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } to &&
            DateOnly.FromDateTime(to.UtcDateTime) < DateOnly.FromDateTime(from.UtcDateTime))
            plan.Period.End = plan.Period.Start;
        foreach (var detail in plan.Activity.Select(a => a.Detail).OfType<CarePlan.DetailComponent>())
            detail.Status = ActivityStatus(status);
    }

    private static CarePlan.CarePlanActivityStatus ActivityStatus(RequestStatus? plan) => plan switch
    {
        RequestStatus.Active => CarePlan.CarePlanActivityStatus.InProgress,
        RequestStatus.Completed => CarePlan.CarePlanActivityStatus.Completed,
        RequestStatus.Revoked => CarePlan.CarePlanActivityStatus.Stopped,
        _ => CarePlan.CarePlanActivityStatus.NotStarted,
    };

    /// <summary>A dose given, in mg (UCUM), by the named staff member, under its detox plan.</summary>
    private static MedicationAdministration Dose(ExportedRecord record, Guid eventId, DoseGiven dose)
    {
        var administration = Labelled(new MedicationAdministration
        {
            Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
            Category = OutpatientCategory(),
            Medication = FhirCodes.Medication(dose.Medication),
            Subject = record.Patient,
            Context = EpisodeReference(dose.EpisodeId),
            Effective = new FhirDateTime(dose.GivenAt),
            Performer = [new MedicationAdministration.PerformerComponent { Actor = new ResourceReference { Display = dose.GivenBy } }],
            Dosage = new MedicationAdministration.DosageComponent { Dose = FhirCodes.Ucum(dose.DoseMg, "mg", "mg") },
        }, IdFor("MedicationAdministration", eventId), dose.ClinicId);
        if (record.ReferenceIfPresent<CarePlan>(IdFor("CarePlan", dose.PlanId)) is { } plan)
            administration.SupportingInformation.Add(plan);
        if (dose.FirstDose)
            administration.Note.Add(new Annotation { Text = "first dose (induction)" });
        // The override reason is free text typed at the clinic: it stays there (sealed); the export only says there was one.
        if (dose.AboveCapOverride)
            administration.Note.Add(new Annotation { Text = "above the clinic's methadone dose cap, with a documented override" });
        return administration;
    }

    /// <summary>A scheduled dose the patient did not come for: a not-done administration on that day.</summary>
    private static MedicationAdministration MissedDose(ExportedRecord record, Guid eventId, DoseMissed missed)
    {
        var administration = Labelled(new MedicationAdministration
        {
            Status = MedicationAdministration.MedicationAdministrationStatusCodes.NotDone,
            StatusReason = [new CodeableConcept { Text = "patient did not come" }],
            Category = OutpatientCategory(),
            Medication = record.PlanMedications.TryGetValue(missed.PlanId, out var medication)
                ? FhirCodes.Medication(medication)
                : new CodeableConcept { Text = "scheduled detox dose" },
            Subject = record.Patient,
            Context = EpisodeReference(missed.EpisodeId),
            Effective = new FhirDateTime(Date(missed.MissedOn)),
        }, IdFor("MedicationAdministration", eventId), missed.ClinicId);
        if (record.ReferenceIfPresent<CarePlan>(IdFor("CarePlan", missed.PlanId)) is { } plan)
            administration.SupportingInformation.Add(plan);
        return administration;
    }

    // Doses are given at the clinic to patients who live at home.
    private static CodeableConcept OutpatientCategory() =>
        FhirCodes.Concept("http://terminology.hl7.org/CodeSystem/medication-admin-category", "outpatient", "Outpatient");
}
