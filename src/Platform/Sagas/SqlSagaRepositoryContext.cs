using BacBos.Platform.Data;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;

namespace BacBos.Platform.Sagas;

/// <summary>The per-message repository context: every operation runs in the message's <see cref="DbSession"/>.</summary>
internal sealed class SqlSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, IPersistedSaga
    where TMessage : class
{
    private readonly DbSession session;
    private readonly SagaDocumentStore<TSaga> store;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<DbSession, TSaga> factory;

    public SqlSagaRepositoryContext(
        DbSession session,
        SagaDocumentStore<TSaga> store,
        ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbSession, TSaga> factory)
        : base(consumeContext, session)
    {
        this.session = session;
        this.store = store;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (!await store.TryInsertAsync(session, instance, CancellationToken))
        {
            return default!;
        }

        return await factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await store.LoadAsync(session, correlationId, forUpdate: true, CancellationToken);
        return instance is null
            ? default!
            : await factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => store.InsertAsync(session, context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => store.UpdateAsync(session, context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => store.DeleteAsync(session, context.Saga.CorrelationId, CancellationToken);

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(session, context, instance, mode);
}
