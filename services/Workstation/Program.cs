using Recovery.Workstation;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkstation();

var app = builder.Build();
app.UseWorkstation();
app.Run();
