import io.github.dfu4j.libusb.*;
import io.github.dfu4j.transport.*;
import java.time.Duration;
import java.util.HexFormat;
public class Leave {
  public static void main(String[] a) throws Exception {
    try (UsbBackend usb = UsbBackends.open(BackendChoice.JNA)) {
      DfuTransport t = usb.open(DeviceFilter.builder().alt("0").build());
      // DfuSe leave: SET_ADDRESS 0x08000000, then zero-length DNLOAD + GETSTATUS
      t.controlOut(1, 0, new byte[]{0x21, 0, 0, 0, 8}, Duration.ofSeconds(2));
      System.out.println("LEAVE st " + HexFormat.of().formatHex(t.controlIn(3, 0, 6, Duration.ofSeconds(2))));
      System.out.println("LEAVE st " + HexFormat.of().formatHex(t.controlIn(3, 0, 6, Duration.ofSeconds(2))));
      t.controlOut(1, 2, new byte[0], Duration.ofSeconds(2));
      try {
        System.out.println("LEAVE manifest " + HexFormat.of().formatHex(t.controlIn(3, 0, 6, Duration.ofSeconds(2))));
      } catch (TransportException e) { System.out.println("LEAVE getstatus after leave: " + e.kind() + " " + e.getMessage()); }
      long t0 = System.nanoTime();
      var again = t.port().awaitDfu(Duration.ofSeconds(2));
      System.out.println("LEAVE reopen present=" + again.isPresent() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      try { t.controlIn(3, 0, 6, Duration.ofSeconds(1)); } catch (IllegalStateException e) { System.out.println("LEAVE old transport closed: " + e.getMessage()); }
      System.out.println("LEAVE dfu devices now " + usb.listDfuDevices().size());
    }
  }
}
