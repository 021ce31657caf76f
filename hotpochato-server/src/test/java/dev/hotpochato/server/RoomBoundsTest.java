package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.RoomList;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client can make a room keep, and what one ListRooms reply can be: bounded, over real sockets. */
class RoomBoundsTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static ServerFrame invite(TestClient c, String room, String name) throws InterruptedException {
        long id = c.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom(room).setDisplayName(name)));
        ServerFrame reply = c.next();
        assertEquals(id, reply.getRequestId());
        return reply;
    }

    @Test
    void aRoomKeepsAtMostAHundredInvitationsAndSaysSoWithATypedError() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TestClient owner = fixture.client("owner");
        owner.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("club")
                .setOptions(RoomOptions.newBuilder().setInviteOnly(true))));
        owner.expect(BodyCase.JOINED);
        for (int i = 1; i < 100; i++) { // the owner's own name is the first of the hundred
            assertEquals(BodyCase.INVITED, invite(owner, "club", "guest" + i).getBodyCase());
        }
        ServerFrame refused = invite(owner, "club", "guest100");
        assertEquals(Error.Code.TOO_MANY_INVITATIONS, refused.getError().getCode(), refused::toString);
        assertEquals("club", refused.getError().getRoom());
        assertEquals(BodyCase.INVITED, invite(owner, "club", "guest42").getBodyCase(), "a name invited already is fine");

        TestClient late = fixture.client("guest100");
        late.join("club");
        late.expectError(Error.Code.NOT_INVITED);
        TestClient guest = fixture.client("guest99");
        guest.join("club");
        guest.expect(BodyCase.JOINED);
    }

    @Test
    void listRoomsAnswersAPageAtATimeWithACursorForTheNext() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TreeSet<String> made = new TreeSet<>();
        for (int c = 0; c < 4; c++) {
            TestClient creator = fixture.client("creator" + c);
            for (int r = 0; r < 27; r++) { // 108 rooms: more than a page, within each client's 32 rooms
                String name = String.format("room-%d-%02d", c, r);
                creator.join(name);
                creator.expect(BodyCase.JOINED);
                made.add(name);
            }
        }
        TestClient lister = fixture.client("lister");

        RoomList first = list(lister, "", 0);
        assertEquals(100, first.getRoomsCount(), "the server's page size when no limit is asked");
        assertEquals(first.getRooms(99).getName(), first.getNextAfter());
        RoomList second = list(lister, first.getNextAfter(), 0);
        assertEquals(8, second.getRoomsCount());
        assertEquals("", second.getNextAfter(), "the last page");
        List<String> all = new ArrayList<>();
        first.getRoomsList().forEach(r -> all.add(r.getName()));
        second.getRoomsList().forEach(r -> all.add(r.getName()));
        assertEquals(new ArrayList<>(made), all, "every room once, sorted by name");

        RoomList small = list(lister, "room-1-05", 3);
        assertEquals(List.of("room-1-06", "room-1-07", "room-1-08"),
                small.getRoomsList().stream().map(RoomSummary::getName).toList());
        assertEquals("room-1-08", small.getNextAfter());
        assertEquals(100, list(lister, "", -1).getRoomsCount(), "a limit above the page size (uint32 4294967295) gets a page");
        assertTrue(list(lister, "zzz", 0).getRoomsList().isEmpty());
    }

    private static RoomList list(TestClient c, String after, int limit) throws InterruptedException {
        c.send(ClientFrame.newBuilder().setListRooms(ListRooms.newBuilder().setAfter(after).setLimit(limit)));
        return c.expect(BodyCase.ROOM_LIST).getRoomList();
    }
}
