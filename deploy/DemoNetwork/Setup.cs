namespace Recovery.DemoNetwork;

public static class Setup
{
    public static async Task WaitUntilReady(PlatformClient api)
    {
        var urls = api.Urls;
        foreach (var service in new[] { urls.Assessment, urls.Detox, urls.Counseling, urls.Relapse, urls.Timeline })
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                try { await api.Get(service, null, "health/ready"); break; }
                catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(500); }
            }
        }
    }

    /// <summary>Two weekly help groups per clinic, made on the first run and reused after.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<HelpGroup>>> HelpGroups(PlatformClient api, IReadOnlyList<Clinic> clinics)
    {
        var groups = new Dictionary<string, IReadOnlyList<HelpGroup>>();
        foreach (var clinic in clinics)
        {
            var list = new List<HelpGroup>();
            var existing = (await api.Get(api.Urls.Counseling, clinic.Id, "help-groups")).AsArray();
            foreach (var (name, day, time) in new[] { ("Narcotics Anonymous - evening", DayOfWeek.Tuesday, "19:00"), ("Family support", DayOfWeek.Thursday, "18:30") })
            {
                if (existing.FirstOrDefault(g => g?["name"]?.GetValue<string>() == name) is { } known)
                {
                    list.Add(new HelpGroup((Guid)known["groupId"]!, name, day));
                    continue;
                }
                var group = await api.Post(api.Urls.Counseling, clinic.Id, "help-groups", new
                {
                    name, meetingDays = new[] { day.ToString().ToLowerInvariant() }, meetingTime = time, facilitatorId = clinic.Counselor,
                });
                list.Add(new HelpGroup((Guid)group["groupId"]!, name, day));
            }
            groups[clinic.Id] = list;
        }
        return groups;
    }
}
