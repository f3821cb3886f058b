package dev.switchboard.testkit;

import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.Repository;

/** The in-memory repository passes the repository contract (it is also the kit's LIST reference). */
class InMemoryRepositoryCompatibilityTest extends RepositoryCompatibilityKit {
    @Override
    protected Repository createRepository(Quota quota) {
        return InMemoryRepository.create(quota);
    }
}
