namespace Mirage.Apps;

/// <summary><c>mirage apps check [DIR]</c>: loads and compiles every app and template, prints each error with file:line.</summary>
public static class AppsCheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help" or "-h", ..])
        {
            Console.WriteLine("usage: mirage apps check [DIR]   (DIR defaults to ./apps; a folder with app.lua is checked alone)");
            return 0;
        }
        var directory = Path.GetFullPath(args.Length > 0 ? args[0] : "./apps");
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"{directory}: no such directory");
            return 2;
        }
        var errors = await AppCatalog.CheckAsync(directory, new AppsOptions().MemoryLimitBytes);
        foreach (var error in errors)
        {
            Console.Error.WriteLine(error);
        }
        Console.WriteLine(errors.Count == 0 ? $"{directory}: all apps load" : $"{errors.Count} error(s)");
        return errors.Count == 0 ? 0 : 1;
    }
}
