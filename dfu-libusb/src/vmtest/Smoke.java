import io.github.dfu4j.libusb.*;
import io.github.dfu4j.transport.*;
import java.time.Duration;
import java.util.HexFormat;
public class Smoke {
  public static void main(String[] a) throws Exception {
    for (String c : new String[]{"jna", "usb4java"}) {
      try (UsbBackend usb = UsbBackends.open(BackendChoice.parse(c))) {
        System.out.println("SMOKE " + c + " " + usb.status().toText() + " usb devices " + usb.countUsbDevices());
        for (DfuDeviceDescription d : usb.listDfuDevices()) {
          System.out.println("SMOKE " + d.summary());
          d.listing().forEach(l -> System.out.println("SMOKE   " + l));
          System.out.println("SMOKE   fd " + (d.functionalDescriptor() == null ? "none" : d.functionalDescriptor().describe()) + " from " + d.functionalDescriptorSource());
        }
        try (DfuTransport t = usb.open(DeviceFilter.builder().vidPid("0483:df11").alt("3").build())) {
          for (int alt = 3; alt >= 0; alt--) t.selectAltSetting(alt);
          byte[] st = t.controlIn(3, 0, 6, Duration.ofSeconds(2));
          System.out.println("SMOKE GETSTATUS " + HexFormat.of().formatHex(st));
          System.out.println("SMOKE string 4 " + t.stringDescriptor(4));
          System.out.println("SMOKE fd bytes " + HexFormat.of().formatHex(t.functionalDescriptor()));
          t.reset();
          byte[] st2 = t.controlIn(3, 0, 6, Duration.ofSeconds(2));
          System.out.println("SMOKE GETSTATUS after reset " + HexFormat.of().formatHex(st2));
        }
        System.out.println("SMOKE OK " + c);
      }
    }
    System.out.print(DoctorReport.run().toText());
  }
}
