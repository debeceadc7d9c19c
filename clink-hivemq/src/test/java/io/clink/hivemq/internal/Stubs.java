package io.clink.hivemq.internal;

import java.lang.reflect.Proxy;

/**
 * Stand-ins for HiveMQ's extension SDK interfaces in unit tests (clink-hivemq has no mocking library): a dynamic proxy
 * that answers each call by method name, with identity equality and a readable toString.
 */
final class Stubs {

    private Stubs() {}

    /** Answers one call to a stubbed interface. */
    @FunctionalInterface
    interface Answer {
        Object answer(String method, Object[] args);
    }

    static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + " stand-in";
                };
            }
            return answer.answer(method.getName(), args == null ? new Object[0] : args);
        }));
    }
}
