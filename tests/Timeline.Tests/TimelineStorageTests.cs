using Recovery.Contracts.Assessment.V1;
using Recovery.Contracts.Corrections.V1;
using Recovery.Contracts.Detox.V1;
using Recovery.Timeline.PatientTimelines;

namespace Recovery.Timeline.Tests;

/// <summary>One fact, one stored entry: what a fact changes on the timeline, and the paging parameters.</summary>
public sealed class TimelineStorageTests
{
    private static readonly Guid Patient = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 2, 8, 30, 15, TimeSpan.Zero);

    private static DoseGiven Dose(DateTimeOffset at) => new(Patient, "clinic-north", Patient, at, Patient, "methadone", 30, at, "nurse", false, false);

    [Fact]
    public void A_fact_is_one_appended_entry_that_marks_nothing()
    {
        var id = Guid.NewGuid();
        var change = PatientTimeline.Record(Patient, id, Dose(At));
        Assert.Equal(id, change.Appended!.Id);
        Assert.Equal(Patient, change.Appended.PatientId);
        Assert.Equal("dose-given", change.Appended.Entry.Kind);
        Assert.Equal(At, change.Appended.ClinicalAt);
        Assert.Null(change.Marked);
    }

    [Fact]
    public void Entered_in_error_marks_the_one_entry_it_names_and_appends_none()
    {
        var wrong = Guid.NewGuid();
        var correction = Guid.NewGuid();
        var change = PatientTimeline.Record(Patient, correction, new FactEnteredInError(Patient, "clinic-north", Patient, At, wrong, "dose-given"));
        Assert.Null(change.Appended);
        Assert.Equal(wrong, change.Marked);
        Assert.Equal(new EntryCorrection("entered-in-error", At, null, correction), change.Correction);
    }

    [Fact]
    public void An_amendment_marks_the_entry_it_replaces_and_is_appended_with_the_new_values()
    {
        var first = Guid.NewGuid();
        var amendment = Guid.NewGuid();
        var change = PatientTimeline.Record(Patient, amendment, Dose(At) with { DoseMg = 20, Amends = first });
        Assert.Equal(amendment, change.Appended!.Id);
        Assert.Equal(first, change.Marked);
        Assert.Equal("amended", change.Correction!.Kind);
    }

    [Fact]
    public void A_registration_entered_in_error_drops_that_clinics_entries_recorded_until_then_and_appends_none()
    {
        var change = PatientTimeline.Record(Patient, Guid.NewGuid(),
            new RegistrationEnteredInError(Patient, "clinic-south", null, At.AddTicks(7), Guid.NewGuid(), Guid.NewGuid()));
        Assert.Null(change.Appended);
        Assert.Null(change.Marked);
        Assert.Equal(new DroppedEntries("clinic-south", StoredEntry.ToMicroseconds(At.AddTicks(7))), change.Dropped);
    }

    [Fact]
    public void A_registration_carries_what_analysts_may_know()
    {
        var registered = new PatientRegistered(Patient, "clinic-north", null, At, Guid.NewGuid(), "female", 1980);
        var stored = PatientTimeline.Record(Patient, Guid.NewGuid(), registered).Appended!;
        Assert.Equal(("female", 1980), (stored.Sex, stored.BirthYear));
    }

    [Fact]
    public void Stored_times_are_kept_to_the_microsecond_and_the_entry_keeps_the_exact_instant()
    {
        var exact = At.AddTicks(1234567);
        var stored = PatientTimeline.Record(Patient, Guid.NewGuid(), Dose(exact)).Appended!;
        Assert.Equal(At.AddTicks(1234560), stored.ClinicalAt);
        Assert.Equal(At.AddTicks(1234560), stored.RecordedAt);
        Assert.Equal(exact, stored.Entry.OccurredAt);
    }

    [Fact]
    public void A_cursor_reads_back_as_the_row_it_names()
    {
        var cursor = new TimelineCursor(At.AddTicks(10), At.AddDays(1), Guid.NewGuid());
        var text = cursor.Encode();
        Assert.DoesNotContain(text, c => c is '+' or '/' or '=' or '&');
        Assert.Equal(cursor, TimelineCursor.Decode(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("MTIzNDU")] // base64 of "12345"
    [InlineData("MS4yLnh5eg")] // "1.2.xyz": no event id
    [InlineData("%%%")]
    public void Anything_else_is_no_cursor(string text) => Assert.Null(TimelineCursor.Decode(text));

    [Fact]
    public void No_paging_parameter_is_the_whole_timeline() => Assert.Equal((null, null), TimelinePageRequest.Parse(null, null, null, null));

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("500", true)]
    [InlineData("501", false)]
    [InlineData("-1", false)]
    [InlineData("ten", false)]
    public void A_page_holds_1_to_500_entries(string pageSize, bool accepted)
    {
        var (page, error) = TimelinePageRequest.Parse(pageSize, null, null, null);
        Assert.Equal(accepted, page is not null);
        if (!accepted) Assert.Contains("pageSize", error!.Errors!.Keys);
    }

    [Fact]
    public void A_range_may_be_one_instant_but_not_end_before_it_starts()
    {
        Assert.NotNull(TimelinePageRequest.Parse(null, null, "2026-11-02T08:00:00Z", "2026-11-02T08:00:00Z").Page);
        var (_, error) = TimelinePageRequest.Parse(null, null, "2026-11-02T08:00:00.001Z", "2026-11-02T08:00:00Z");
        Assert.Contains("from", error!.Errors!.Keys);
    }

    [Fact]
    public void A_date_alone_is_midnight_utc_and_defaults_the_page_size()
    {
        var page = TimelinePageRequest.Parse(null, null, "2026-11-02", null).Page!;
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), page.From);
        Assert.Equal(TimelinePageRequest.DefaultPageSize, page.PageSize);
    }
}
