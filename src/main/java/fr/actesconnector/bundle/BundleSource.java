package fr.actesconnector.bundle;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import fr.actesconnector.model.LegalClock;

/**
 * What a proof bundle is made of, gathered by the façade from the journal: the acte, its dates and legal
 * clock, every file to put in the bundle (under its bundle path), and its history with who did what.
 */
public record BundleSource(Acte acte, Transmission transmission, LegalClock.Result clock, List<Item> items,
                           List<Event> history, Instant createdAt) {
    public BundleSource {
        Objects.requireNonNull(acte, "acte");
        Objects.requireNonNull(transmission, "transmission");
        Objects.requireNonNull(clock, "clock");
        items = List.copyOf(items);
        history = List.copyOf(history);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The acte as the journal knows it; every text already in French. */
    public record Acte(String idActe, String collectivite, String siren, String numero, String numeroInterne,
                       String objet, String nature, String matiere, LocalDate dateDecision) {
        public Acte {
            Objects.requireNonNull(idActe, "idActe");
            Objects.requireNonNull(collectivite, "collectivite");
            Objects.requireNonNull(siren, "siren");
            Objects.requireNonNull(numero, "numero");
            Objects.requireNonNull(numeroInterne, "numeroInterne");
            Objects.requireNonNull(objet, "objet");
            Objects.requireNonNull(nature, "nature");
            Objects.requireNonNull(matiere, "matiere");
            Objects.requireNonNull(dateDecision, "dateDecision");
        }
    }

    /** Where the transmission is: its state in French, the TdT transaction, when it was sent and received. */
    public record Transmission(String state, Optional<String> transactionId, Optional<Instant> sentAt,
                               Optional<LocalDate> dateReception, Optional<String> publication) {
        public Transmission {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(sentAt, "sentAt");
            Objects.requireNonNull(dateReception, "dateReception");
            Objects.requireNonNull(publication, "publication");
        }
    }

    /**
     * One file of the bundle: its path in the zip, its kind, and its content, a kept file or a few bytes
     * (a PEM, an AR the journal keeps as text).
     */
    public record Item(String path, String kind, Optional<Path> file, Optional<byte[]> bytes, Optional<String> signs) {
        public Item {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(signs, "signs");
            if (file.isPresent() == bytes.isPresent()) throw new IllegalArgumentException("a file or bytes: " + path);
            if (SafeZip.nameProblem(path) != null) throw new IllegalArgumentException("unsafe bundle path: " + path);
        }

        public static Item ofFile(String path, String kind, Path file) {
            return new Item(path, kind, Optional.of(file), Optional.empty(), Optional.empty());
        }

        public static Item ofBytes(String path, String kind, byte[] bytes) {
            return new Item(path, kind, Optional.empty(), Optional.of(bytes.clone()), Optional.empty());
        }

        public Item signing(String signedPath) {
            return new Item(path, kind, file, bytes, Optional.of(signedPath));
        }
    }

    /** One line of the history: when, who (« la commune », « le TdT », « la préfecture »), what, detail. */
    public record Event(Instant at, String by, String what, Optional<String> detail) {
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
