package fr.actesconnector.app;

/** Entry point of {@code actes.jar}; the commands are added as they are built. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("actes-connector");
    }
}
