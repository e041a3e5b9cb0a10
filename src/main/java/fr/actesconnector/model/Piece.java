package fr.actesconnector.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file of the acte (the main document or an annex) with its typology. The source file name is
 * never used in what is transmitted: the ministry's name is derived from the IDActe.
 */
public record Piece(Path file, Typologie typologie) {
    public Piece {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(typologie, "typologie");
    }
}
