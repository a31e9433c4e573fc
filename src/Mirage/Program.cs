using Mirage.Hosting;
using Mirage.Seeding;

if (args is ["seed", ..])
{
    return await SeedCommand.RunAsync(args[1..]);
}
if (args is ["apps", "check", ..])
{
    return await Mirage.Apps.AppsCheckCommand.RunAsync(args[2..]);
}

// Static assets and settings ship beside the binary; data goes where the operator runs Mirage (./data).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMirage();

var app = builder.Build();
app.MapMirage();
app.Run();
return 0;
public partial class Program;
