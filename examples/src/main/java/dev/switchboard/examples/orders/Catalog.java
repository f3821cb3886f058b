package dev.switchboard.examples.orders;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shop's products and customers: the "repository" the seed's extension enriches orders from.
 * In memory and read-only; a real shop would call its commerce system or database here.
 */
final class Catalog {

    /** A product. */
    record Product(String id, String name, BigDecimal price) { }

    /** A customer: the demo users, with the details a commerce system keeps. */
    record Customer(String id, String name, String email, String tier) { }

    static final String CURRENCY = "EUR";

    private final Map<String, Product> products = new LinkedHashMap<>();
    private final Map<String, Customer> customers = new LinkedHashMap<>();

    Catalog() {
        add(new Product("p-espresso", "Espresso machine", new BigDecimal("249.00")));
        add(new Product("p-grinder", "Burr grinder", new BigDecimal("119.50")));
        add(new Product("p-beans", "Single-origin beans, 1 kg", new BigDecimal("24.90")));
        add(new Product("p-cups", "Set of 4 cups", new BigDecimal("32.00")));
        customers.put("alice", new Customer("alice", "Alice Andersen", "alice@acme.example", "gold"));
        customers.put("bob", new Customer("bob", "Bob Brown", "bob@acme.example", "silver"));
        customers.put("carol", new Customer("carol", "Carol Chen", "carol@globex.example", "gold"));
    }

    private void add(Product p) {
        products.put(p.id(), p);
    }

    Optional<Product> product(String id) {
        return Optional.ofNullable(products.get(id));
    }

    Optional<Customer> customer(String id) {
        return Optional.ofNullable(customers.get(id));
    }

    Iterable<Product> products() {
        return products.values();
    }
}
