package fr.actesconnector.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.model.Collectivite;

/**
 * The S²LOW accounts bound to the client certificate the simulator accepts. One account needs no
 * password; with several, HTTP Basic picks one (class/Authentification.php: login and password
 * among the accounts of the certificate, else the failure messages below). Each belongs to an
 * authority (a collectivité), the simulator's own unless given. Immutable.
 */
final class Accounts {
    /** One S²LOW user; {@code authority} empty: the simulator's collectivité. */
    record Account(String login, String password, Right right, Optional<Collectivite> authority) {
        Account {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(right, "right");
            Objects.requireNonNull(authority, "authority");
        }

        Account(String login, String password, Right right) {
            this(login, password, right, Optional.empty());
        }

        @Override
        public String toString() {
            return "Account[" + login + ", " + right + authority.map(a -> ", " + a.siren()).orElse("") + "]"; // never the password
        }
    }

    /** The outcome: an account, or S²LOW's failure message with the page it redirects browsers to. */
    record Auth(Optional<Account> account, String failure, String redirectPath) {
        static Auth ok(Account a) {
            return new Auth(Optional.of(a), "", "");
        }
    }

    static final String SEVERAL = "La connexion n'a pas pu être établie";
    static final String NONE = "Le certificat n'est pas valide : aucun compte trouvé";

    private final List<Account> accounts;

    Accounts(List<Account> accounts) {
        this.accounts = List.copyOf(accounts);
        if (this.accounts.isEmpty()) throw new IllegalArgumentException("at least one account");
    }

    List<Account> all() {
        return accounts;
    }

    Optional<Account> byLogin(String login) {
        return accounts.stream().filter(a -> a.login().equals(login)).findFirst();
    }

    Auth authenticate(HttpExchange ex) {
        Optional<String[]> basic = basic(ex.getRequestHeaders().getFirst("Authorization"));
        if (basic.isEmpty()) {
            return accounts.size() == 1 ? Auth.ok(accounts.get(0)) : new Auth(Optional.empty(), SEVERAL, "/login.php");
        }
        List<Account> matching = accounts.stream()
                .filter(a -> a.login().equals(basic.get()[0]) && a.password().equals(basic.get()[1])).toList();
        if (matching.size() == 1) return Auth.ok(matching.get(0));
        return matching.isEmpty() ? new Auth(Optional.empty(), NONE, "/connexion-status")
                : new Auth(Optional.empty(), SEVERAL, "/login.php");
    }

    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.ISO_8859_1);
            int colon = pair.indexOf(':');
            if (colon < 0 || colon == 0) return Optional.empty();
            return Optional.of(new String[] {pair.substring(0, colon), pair.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
