namespace Mirage.Data;

/// <summary>
/// A connection's prepared statements by SQL text, least recently used first out. A statement is taken out while
/// in use and put back after, so the same SQL running twice at once (nested readers) gets a second copy.
/// </summary>
internal sealed class StatementCache<T>(int capacity) : IDisposable where T : class, IDisposable
{
    private readonly Dictionary<string, LinkedListNode<(string Sql, T Statement)>> index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Sql, T Statement)> recency = new();

    public T? Take(string sql)
    {
        if (!index.Remove(sql, out var node))
        {
            return null;
        }
        recency.Remove(node);
        return node.Value.Statement;
    }

    /// <summary>
    /// Keeps <paramref name="statement"/> for the next caller of the same SQL. The least recently used statement
    /// goes when the cache is full, so SQL with inlined values cannot make it grow without bound.
    /// </summary>
    public void Put(string sql, T statement)
    {
        if (index.ContainsKey(sql))
        {
            statement.Dispose(); // the same SQL ran twice at once; one copy is enough
            return;
        }
        if (index.Count >= capacity)
        {
            var oldest = recency.Last!;
            recency.RemoveLast();
            index.Remove(oldest.Value.Sql);
            oldest.Value.Statement.Dispose();
        }
        index[sql] = recency.AddFirst((sql, statement));
    }

    public void Dispose()
    {
        foreach (var (_, statement) in recency)
        {
            statement.Dispose();
        }
        index.Clear();
        recency.Clear();
    }
}
