package fr.actesconnector.tdt;

import java.util.List;

/** One page of {@code list_actes.php}: transactions whose current status is {@code statusId}, newest first. */
public record ActesPage(int statusId, int offset, int limit, List<TdtTransaction> transactions) {
    public ActesPage {
        transactions = List.copyOf(transactions);
    }
}
