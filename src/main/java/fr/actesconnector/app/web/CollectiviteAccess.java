package fr.actesconnector.app.web;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.journal.Users;
import fr.actesconnector.model.Collectivite;

/**
 * The collectivités one account sees and acts for, from what the journal keeps of it ({@link Users.Scope}) and
 * the collectivités configured:
 * <ul>
 *   <li>the whole syndicate: every collectivité configured, and the actes of any SIREN in the journal;</li>
 *   <li>listed SIRENs: those of them that are configured;</li>
 *   <li>neither (an account made before V10): the only collectivité of a one-collectivité configuration, and
 *       nothing in a configuration of several — never every collectivité by default.</li>
 * </ul>
 * An administrator manages only the accounts all of whose collectivités are hers; only a syndicate-wide one
 * manages the syndicate-wide accounts and those without collectivité. Immutable.
 */
final class CollectiviteAccess {
    private final List<Collectivite> configured;
    private final List<Collectivite> collectivites;
    private final boolean syndicate;

    private CollectiviteAccess(List<Collectivite> configured, List<Collectivite> collectivites, boolean syndicate) {
        this.configured = List.copyOf(configured);
        this.collectivites = List.copyOf(collectivites);
        this.syndicate = syndicate;
    }

    /** What an account of {@code scope} may see among {@code configured} (in their order). */
    static CollectiviteAccess of(Users.Scope scope, List<Collectivite> configured) {
        Objects.requireNonNull(scope, "scope");
        if (configured.isEmpty()) throw new IllegalArgumentException("no collectivité configured");
        if (scope.syndicate()) return new CollectiviteAccess(configured, configured, true);
        if (scope.none()) return new CollectiviteAccess(configured, configured.size() == 1 ? configured : List.of(), false);
        return new CollectiviteAccess(configured, configured.stream().filter(c -> scope.sirens().contains(c.siren())).toList(),
                false);
    }

    /** The collectivités it sees, in the configuration's order. */
    List<Collectivite> collectivites() {
        return collectivites;
    }

    /** Belongs to the whole syndicate. */
    boolean syndicate() {
        return syndicate;
    }

    /** Sees nothing: the account cannot use the page. */
    boolean none() {
        return collectivites.isEmpty();
    }

    /** Whether the acte of the collectivité {@code siren} is visible: one of its collectivités, any for the syndicate. */
    boolean allows(String siren) {
        return syndicate || find(siren).isPresent();
    }

    /** Its collectivité of this SIREN. */
    Optional<Collectivite> find(String siren) {
        return collectivites.stream().filter(c -> c.siren().equals(siren)).findFirst();
    }

    /** Whether it may list every collectivité at once (« Toutes les collectivités »): the syndicate, with several. */
    boolean listsAll() {
        return syndicate && collectivites.size() > 1;
    }

    /** Whether it chooses among several collectivités (the header's form). */
    boolean chooses() {
        return collectivites.size() > 1;
    }

    /** Whether an administrator with this access manages {@code target} (sees it on /comptes, changes it). */
    boolean manages(Users.User target) {
        if (syndicate) return true;
        Users.Scope scope = target.scope();
        if (scope.syndicate()) return false;
        List<String> theirs = scope.none() ? (configured.size() == 1 ? List.of(configured.get(0).siren()) : List.of())
                : scope.sirens();
        return !theirs.isEmpty() && theirs.stream().allMatch(s -> find(s).isPresent());
    }

    /**
     * Whether an administrator with this access may give an account {@code scope}: configured collectivités of
     * hers, the whole syndicate only when she has it; never none.
     */
    boolean grants(Users.Scope scope) {
        if (scope.syndicate()) return syndicate;
        return !scope.none() && scope.sirens().stream().allMatch(s -> find(s).isPresent());
    }
}
