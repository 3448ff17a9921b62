using BacBos.Platform.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace BacBos.Platform.Sagas;

/// <summary>
/// MassTransit saga repository on PostgreSQL or SQLite. One connection and one transaction per message:
/// the instance is loaded with a row lock (PostgreSQL <c>FOR UPDATE</c>; SQLite <c>BEGIN IMMEDIATE</c>), the state
/// machine runs, the new document is written with a version check, and the transaction commits after the pipe.
/// Conflicts (a concurrent create, a stale version) raise <see cref="ConcurrencyException"/> so the endpoint's
/// retry policy re-runs the message against fresh state.
/// </summary>
public sealed class SqlSagaRepositoryContextFactory<TSaga>(
    SagaDocumentStore<TSaga> store,
    ISagaConsumeContextFactory<DbSession, TSaga> consumeContextFactory)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, IPersistedSaga
{
    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "sql");
        context.Add("provider", store.Database.Provider.ToString());
        context.Add("sagaType", SagaDocumentStore<TSaga>.SagaType);
    }

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = await store.Database.BeginAsync(context.CancellationToken);
        var repositoryContext = new SqlSagaRepositoryContext<TSaga, T>(session, store, context, consumeContextFactory);
        await next.Send(repositoryContext);
        await session.CommitAsync(context.CancellationToken);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = await store.Database.BeginAsync(context.CancellationToken);
        var repositoryContext = new SqlSagaRepositoryContext<TSaga, T>(session, store, context, consumeContextFactory);
        var matches = await QueryInSession(session, query, forUpdate: true, context.CancellationToken);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, matches));
        await session.CommitAsync(context.CancellationToken);
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        await asyncMethod(new ReadContext(store, cancellationToken));

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        await asyncMethod(new ReadContext(store, cancellationToken));

    /// <summary>
    /// Correlation by query (<c>CorrelateBy</c>) filters the documents of this saga type in memory. Sagas that rely on
    /// it for hot paths should correlate by id instead; this is documented in the README.
    /// </summary>
    private async Task<IList<TSaga>> QueryInSession(DbSession session, ISagaQuery<TSaga> query, bool forUpdate, CancellationToken cancellationToken)
    {
        var predicate = query.FilterExpression.Compile();
        var all = await store.ListAsync(null, int.MaxValue, cancellationToken);
        var result = new List<TSaga>();
        foreach (var candidate in all.Where(predicate))
        {
            var locked = forUpdate ? await store.LoadAsync(session, candidate.CorrelationId, true, cancellationToken) : candidate;
            if (locked is not null && predicate(locked))
            {
                result.Add(locked);
            }
        }

        return result;
    }

    private sealed class ReadContext(SagaDocumentStore<TSaga> store, CancellationToken cancellationToken)
        : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    {
        public async Task<TSaga> Load(Guid correlationId) => (await store.FindAsync(correlationId, CancellationToken))!;

        public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
        {
            var predicate = query.FilterExpression.Compile();
            var all = await store.ListAsync(null, int.MaxValue, cancellationToken);
            return new DefaultSagaRepositoryQueryContext<TSaga>(this, all.Where(predicate).Select(s => s.CorrelationId).ToList());
        }
    }
}
