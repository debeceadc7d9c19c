#!/usr/bin/env escript
%% -*- erlang -*-
%% The Erlang half of clink's codec cross-check (ErlangCrossCheckIT).
%%
%% Usage: escript clink_cross_check.escript IN OUT
%%
%% IN holds Java-encoded payloads, each framed as <<Length:32, Payload/binary>>. For each one this script
%% does what an EMQX receiver does: binary_to_term(Payload, [safe]), then checks the decoded term has the
%% shape EMQX's cluster-link decoders match on. Before any decoding it creates exactly the atoms an EMQX
%% node always has (emqx_atoms/0); [safe] then refuses any other atom that neither OTP nor this script's own
%% code defines. A canary proves [safe] is in force.
%%
%% OUT gets, per payload: <<0, Plain, Compressed>> (accepted; both re-encoded by this runtime with
%% minor_version 2, framed), <<1, Why>> (decoded, wrong shape) or <<2, Why>> (refused by binary_to_term).
%% Then the reverse direction: terms built here, as EMQX would, encoded four ways for Java to decode.
-mode(compile).

emqx_atoms() ->
    ["ok", "error", "true", "false", "undefined", "$op", "message", "dup", "retain", "sys", "properties",
     "username", "peerhost", "peername", "proto_ver", "protocol", "client_attrs", "mqtt", "User-Property",
     "Message-Expiry-Interval", "Content-Type", "Response-Topic", "Correlation-Data",
     "Payload-Format-Indicator", "Topic-Alias", "Subscription-Identifier"].

main([In, Out]) ->
    _ = [list_to_atom(A) || A <- emqx_atoms()],
    ok = canary(),
    {ok, Data} = file:read_file(In),
    Verdicts = [judge(P) || P <- frames(Data)],
    Reverse = reverse_terms(),
    ReverseOut = [[frame(list_to_binary(Name)),
                   frame(term_to_binary(T)),
                   frame(term_to_binary(T, [{minor_version, 2}])),
                   frame(term_to_binary(T, [compressed])),
                   frame(term_to_binary(T, [compressed, {minor_version, 2}]))] || {Name, T} <- Reverse],
    ok = file:write_file(Out, [<<(length(Verdicts)):32>>, Verdicts, <<(length(Reverse)):32>>, ReverseOut]),
    halt(0);
main(_) ->
    io:format(standard_error, "usage: clink_cross_check.escript IN OUT~n", []),
    halt(2).

canary() ->
    Name = <<"clink_canary_", (integer_to_binary(erlang:unique_integer([positive])))/binary>>,
    try binary_to_term(<<131, 119, (byte_size(Name)), Name/binary>>, [safe]) of
        _ -> io:format(standard_error, "binary_to_term/2 [safe] accepted a new atom~n", []), halt(3)
    catch
        error:badarg -> ok
    end.

frames(<<>>) -> [];
frames(<<Len:32, Payload:Len/binary, Rest/binary>>) -> [Payload | frames(Rest)].

frame(Bin) -> <<(byte_size(Bin)):32, Bin/binary>>.

judge(Payload) ->
    try binary_to_term(Payload, [safe]) of
        Term ->
            case shape(Term) of
                [] ->
                    [0, frame(term_to_binary(Term, [{minor_version, 2}])),
                     frame(term_to_binary(Term, [compressed, {minor_version, 2}]))];
                Problems ->
                    [1, frame(iolist_to_binary(io_lib:format("~p in ~P", [Problems, Term, 12])))]
            end
    catch
        error:badarg -> [2, frame(<<"binary_to_term/2 [safe] raised badarg">>)]
    end.

%% What EMQX's decoders match on (protocol sections 3.3-3.7). Returns the failed checks.
shape(#{'$op' := <<"actor_init">>} = M) ->
    failed([{"10 actor", is_binary(maps:get(10, M, x))},
            {"11 incarnation", is_integer(maps:get(11, M, x))},
            {"13 target cluster", is_binary(maps:get(13, M, x))},
            {"14 proto ver", maps:get(14, M, x) =:= 1}]);
shape(#{'$op' := <<"actor_init_ack">>} = M) ->
    Result = maps:get(15, M, x),
    NeedBootstrap = maps:get(16, M, x),
    failed([{"10 actor", is_binary(maps:get(10, M, x))},
            {"14 proto ver", maps:get(14, M, x) =:= 1},
            {"15/16 result", case Result of
                                 ok -> is_boolean(NeedBootstrap);
                                 {error, Reason} -> is_binary(Reason) andalso NeedBootstrap =:= undefined;
                                 _ -> false
                             end}]);
shape(#{'$op' := <<"route">>} = M) ->
    Ops = maps:get(12, M, x),
    failed([{"10 actor", is_binary(maps:get(10, M, x))},
            {"11 incarnation", is_integer(maps:get(11, M, x))},
            {"12 ops", is_list(Ops) andalso lists:all(fun route_op/1, Ops)}]);
shape(#{'$op' := <<"heartbeat">>} = M) ->
    failed([{"10 actor", is_binary(maps:get(10, M, x))},
            {"11 incarnation", is_integer(maps:get(11, M, x))}]);
shape({message, Id, QoS, From, Flags, Headers, Topic, Payload, Ts, Extra}) ->
    failed([{"id", is_binary(Id) andalso byte_size(Id) =:= 16},
            {"qos", lists:member(QoS, [0, 1, 2])},
            {"from", is_binary(From)},
            {"flags", is_map(Flags) andalso lists:all(fun is_boolean/1, maps:values(Flags))
                      andalso lists:all(fun is_atom/1, maps:keys(Flags))},
            {"headers", is_map(Headers) andalso headers_ok(Headers)},
            {"topic", is_binary(Topic)},
            {"payload", is_binary(Payload)},
            {"timestamp", is_integer(Ts)},
            {"extra", Extra =:= #{}}]);
shape(_) ->
    ["not a cluster-link payload"].

failed(Checks) -> [Name || {Name, false} <- Checks].

route_op({Filter, RouteId}) -> is_binary(Filter) andalso is_binary(RouteId);
route_op({100, Filter, RouteId}) -> is_binary(Filter) andalso is_binary(RouteId);
route_op(_) -> false.

headers_ok(H) ->
    optional(properties, H, fun props_ok/1)
        andalso optional(username, H, fun(U) -> is_binary(U) orelse U =:= undefined end)
        andalso optional(peerhost, H, fun ip_ok/1)
        andalso optional(peername, H, fun({Ip, Port}) -> ip_ok(Ip) andalso is_integer(Port); (_) -> false end)
        andalso optional(proto_ver, H, fun(V) -> lists:member(V, [3, 4, 5]) end)
        andalso optional(protocol, H, fun(P) -> P =:= mqtt end)
        andalso optional(client_attrs, H, fun(A) -> is_map(A) andalso
                                                     lists:all(fun is_binary/1, maps:keys(A) ++ maps:values(A)) end).

props_ok(P) when is_map(P) ->
    optional('User-Property', P, fun(L) -> is_list(L) andalso
                                          lists:all(fun({K, V}) -> is_binary(K) andalso is_binary(V);
                                                       (_) -> false end, L) end)
        andalso optional('Message-Expiry-Interval', P, fun(V) -> is_integer(V) andalso V >= 0 end)
        andalso optional('Content-Type', P, fun is_binary/1)
        andalso optional('Response-Topic', P, fun is_binary/1)
        andalso optional('Correlation-Data', P, fun is_binary/1)
        andalso optional('Payload-Format-Indicator', P, fun(V) -> V =:= 0 orelse V =:= 1 end);
props_ok(_) -> false.

ip_ok({A, B, C, D}) -> lists:all(fun(X) -> is_integer(X) andalso X >= 0 andalso X =< 255 end, [A, B, C, D]);
ip_ok(T) when is_tuple(T), tuple_size(T) =:= 8 ->
    lists:all(fun(X) -> is_integer(X) andalso X >= 0 andalso X =< 65535 end, tuple_to_list(T));
ip_ok(_) -> false.

optional(Key, Map, Check) ->
    case maps:find(Key, Map) of
        {ok, V} -> Check(V);
        error -> true
    end.

%% Terms as an EMQX node builds them, plus what hooks may leave in headers (pids, references, funs, ports,
%% floats, bignums, improper lists, strings) and maps larger than 32 keys (written in hash order).
reverse_terms() ->
    Msg = fun(Headers, Payload) ->
                  {message, <<7:128>>, 1, <<"erl-client">>, #{dup => false, retain => false}, Headers,
                   <<"from/erlang">>, Payload, 1722945600999, #{}}
          end,
    [{"message_props",
      Msg(#{properties => #{'User-Property' => [{<<"k">>, <<"v">>}, {<<"k">>, <<"v2">>}],
                            'Message-Expiry-Interval' => 60, 'Content-Type' => <<"text/plain">>},
            username => <<"bob">>, peerhost => {192, 168, 1, 2}, proto_ver => 4, protocol => mqtt},
          <<"hi">>)},
     {"message_ipv6_large",
      Msg(#{peerhost => {8193, 3512, 0, 0, 0, 0, 0, 1}, peername => {{8193, 3512, 0, 0, 0, 0, 0, 1}, 1883},
            properties => #{}},
          binary:copy(<<"xyz">>, 500))},
     {"message_opaque_headers",
      Msg(#{properties => #{}, <<"pid">> => self(), <<"ref">> => make_ref(), <<"fun">> => fun erlang:self/0,
            <<"port">> => hd(erlang:ports()), <<"float">> => 1.5, <<"big">> => -(1 bsl 100),
            <<"improper">> => [1 | 2], <<"string">> => "abc", <<"local_fun">> => fun(X) -> {X, self()} end},
          <<>>)},
     {"message_iolist_payload", Msg(#{}, [<<"io">>, $l, [<<"ist">>] | <<"!">>])},
     {"route_from_erlang",
      #{'$op' => <<"route">>, 10 => <<"emqx@host"/utf8>>, 11 => 1 bsl 40,
        12 => [{<<"a/+">>, <<"a/+">>}, {100, <<"b/#">>, <<"$s/g/b/#">>}]}},
     {"ack_from_erlang",
      #{'$op' => <<"actor_init_ack">>, 14 => 1, 10 => <<"ps-routes-v1">>, 15 => {error, <<"unknown_cluster">>},
        16 => false}},
     {"generic_big_map", maps:from_list([{I, I * I} || I <- lists:seq(1, 40)])},
     {"generic_nested", lists:foldl(fun(_, Acc) -> [Acc] end, [], lists:seq(1, 60))},
     {"generic_numbers", {0, 255, 256, -1, 1 bsl 31, -(1 bsl 31) - 1, 1 bsl 63, 1 bsl 64, -(1 bsl 2100), 3.25,
                          -0.5, 1.0e300}},
     {"generic_latin1_atom_text", {ok, error, undefined, <<"é"/utf8>>, [true, false]}}].
