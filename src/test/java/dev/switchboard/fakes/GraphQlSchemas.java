package dev.switchboard.fakes;

import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A vendor's own GraphQL schema made executable for a fake: its custom scalars pass values through, interfaces and
 * unions resolve to a type that fits, and every field not wired is read from the source map by name. The fake wires
 * only its root fields; graphql-java checks each document and its variables against the vendor's types first.
 */
public final class GraphQlSchemas {
    private static final List<String> BUILT_IN = List.of("String", "Int", "Float", "Boolean", "ID");

    private GraphQlSchemas() {}

    /** @param roots wires the root fields the fake answers (Query, Mutation) */
    public static GraphQLSchema executable(TypeDefinitionRegistry registry, Consumer<RuntimeWiring.Builder> roots) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new AnyTypeWiring());
        registry.scalars().keySet().stream().filter(name -> !BUILT_IN.contains(name)).forEach(name -> wiring.scalar(passThrough(name)));
        roots.accept(wiring);
        return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
    }

    /** A Relay connection page after the cursor (an index here), {@code first} at a time (default 50). */
    public static Map<String, Object> page(List<? extends Map<String, Object>> all, Integer first, String after) {
        int size = first == null ? 50 : first;
        int start = after == null ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder().decode(after)));
        int end = Math.min(all.size(), start + size);
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < all.size());
        pageInfo.put("hasPreviousPage", start > 0);
        pageInfo.put("endCursor", java.util.Base64.getEncoder().encodeToString(String.valueOf(end).getBytes()));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("pageInfo", pageInfo);
        page.put("nodes", all.subList(Math.min(start, end), end));
        return page;
    }

    private static GraphQLScalarType passThrough(String name) {
        return GraphQLScalarType.newScalar().name(name).coercing(new Coercing<Object, Object>() {
            @Override
            public Object serialize(Object value, graphql.GraphQLContext context, Locale locale) {
                return value;
            }

            @Override
            public Object parseValue(Object input, graphql.GraphQLContext context, Locale locale) {
                return input;
            }

            @Override
            public Object parseLiteral(graphql.language.Value<?> input, graphql.execution.CoercedVariables variables,
                                       graphql.GraphQLContext context, Locale locale) {
                return input instanceof graphql.language.StringValue text ? text.getValue() : input.toString();
            }
        }).build();
    }

    /** Interfaces and unions resolve to the first type that implements them; other fields read the source map. */
    private static final class AnyTypeWiring implements WiringFactory {
        @Override
        public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
            String name = environment.getInterfaceTypeDefinition().getName();
            return env -> env.getSchema().getImplementations(env.getSchema().getTypeAs(name)).get(0);
        }

        @Override
        public boolean providesTypeResolver(UnionWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
            return env -> (graphql.schema.GraphQLObjectType) env.getSchema().<graphql.schema.GraphQLUnionType>getTypeAs(
                    environment.getUnionTypeDefinition().getName()).getTypes().get(0);
        }

        @Override
        public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            return env -> env.getSource() instanceof Map<?, ?> source ? source.get(env.getField().getName()) : null;
        }
    }
}
