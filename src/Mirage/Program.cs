using Mirage.Hosting;

// Static assets and settings ship beside the binary; data goes where the operator runs Mirage (./data).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMirage();

var app = builder.Build();
app.MapMirage();
app.Run();
public partial class Program;
