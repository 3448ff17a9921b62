using BacBos.Platform.Data;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Platform.Sagas;

/// <summary>Registration of <see cref="SqlSagaRepositoryContextFactory{TSaga}"/>.</summary>
public static class SqlSagaRepositoryExtensions
{
    /// <summary>Stores this saga in the platform database (<c>saga_instances</c>).</summary>
    public static ISagaRegistrationConfigurator<TSaga> SqlRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, IPersistedSaga
    {
        configurator.Repository(r => Register<TSaga>(r));
        return configurator;
    }

    /// <summary>Registers the repository services for one saga type (also usable from a test harness callback).</summary>
    public static void Register<TSaga>(IServiceCollection services)
        where TSaga : class, IPersistedSaga
    {
        services.TryAddSingleton<SagaDocumentStore<TSaga>>();
        services.RegisterLoadSagaRepository<TSaga, SqlSagaRepositoryContextFactory<TSaga>>();
        services.RegisterQuerySagaRepository<TSaga, SqlSagaRepositoryContextFactory<TSaga>>();
        services.RegisterSagaRepository<TSaga, DbSession, SagaConsumeContextFactory<DbSession, TSaga>, SqlSagaRepositoryContextFactory<TSaga>>();
    }
}
