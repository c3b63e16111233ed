package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaving DFU mode through a {@link DfuSession}, to a target {@link LeaveTargets} chose: DfuSe selects
 * the target's alt, sends SET_ADDRESS (when there is an address) and the zero-length DNLOAD and reads
 * the final status; plain DFU is reset ({@link PlainDfu#reset}). Afterwards it looks for the device
 * coming back in DFU mode at its port; when it does, the session goes on with it.
 */
final class LeaveJob {
    private static final Logger log = LoggerFactory.getLogger(LeaveJob.class);

    private final DfuSession session;

    LeaveJob(DfuSession session) {
        this.session = session;
    }

    LeaveResult leave(DfuDriver drv, LeaveTargets.Target target, Duration reopenTimeout, ProgressListener listener)
            throws DfuException {
        long t = session.now();
        Progress pr = Progress.start(listener, Phase.LEAVE, 0, target.address().orElse(-1));
        LeaveResult.Outcome outcome;
        if (!session.context().descriptor().isDfuse()) {
            outcome = new PlainDfu(session, drv).reset();
        } else {
            if (target.alt() >= 0) {
                session.selectAlt(target.alt(), Phase.LEAVE);
            }
            session.toIdle(Phase.LEAVE);
            if (target.address().isPresent()) {
                drv.command(DfuseCommand.setAddress(target.address().getAsLong()), Phase.LEAVE);
            }
            CommandResult r = drv.leave(0, target.address().isPresent() ? target.address().getAsLong() : null);
            outcome = switch (r.ending()) {
                case DISCONNECTED -> LeaveResult.Outcome.DISCONNECTED;
                case MANIFESTED_IDLE -> LeaveResult.Outcome.STAYED_IN_DFU;
                case NO_ANSWER -> afterSilentLeave(drv);
                default -> LeaveResult.Outcome.LEFT;
            };
        }
        boolean checked = false;
        Optional<PortState> atPort = Optional.empty();
        if (outcome == LeaveResult.Outcome.STAYED_IN_DFU) {
            session.markIdle();
        } else if (outcome == LeaveResult.Outcome.NO_ANSWER) {
            log.warn("the device did not answer its final status after the leave request and is still on the bus:"
                    + " it is not known to have left DFU mode");
            session.markNotIdle();
        } else {
            session.markGone();
            if (!reopenTimeout.isZero()) {
                try {
                    boolean back = session.reopen(reopenTimeout);
                    checked = true;
                    if (back) {
                        outcome = LeaveResult.Outcome.CAME_BACK_IN_DFU;
                        log.warn("the device came back in DFU mode after leaving through {}: no runnable application"
                                + " there for a {} bootloader, or BOOT0 is held high", target.address(),
                                session.context().profile().leaveMode());
                    } else {
                        atPort = Optional.of(session.rawTransport().port().state());
                    }
                } catch (TransportException e) {
                    log.debug("cannot check whether the device came back in DFU mode: {}", e.getMessage());
                }
            }
        }
        pr.finish();
        return new LeaveResult(outcome, target.address(), target.source(), checked, session.since(t), Optional.empty(), atPort);
    }

    /**
     * The final GETSTATUS of a leave went unanswered without the transport saying the device is gone.
     * Ask once more: a device that is gone now ({@link TransportException.Kind#NO_DEVICE}) has left, one
     * that answers dfuMANIFEST is leaving; anything else (an answer in another state, another timeout)
     * means it is still on the bus.
     */
    private static LeaveResult.Outcome afterSilentLeave(DfuDriver drv) throws DfuCancelledException {
        try {
            DfuStatusReply s = drv.getStatus(Phase.LEAVE);
            if (s.state() == DfuState.DFU_MANIFEST || s.state() == DfuState.DFU_MANIFEST_WAIT_RESET) {
                return LeaveResult.Outcome.LEFT;
            }
            log.debug("leave: the device answers {} after an unanswered final status", s);
            return LeaveResult.Outcome.NO_ANSWER;
        } catch (DfuCancelledException e) {
            throw e;
        } catch (DfuException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof TransportException te && te.isDisconnect()) {
                    return LeaveResult.Outcome.DISCONNECTED;
                }
            }
            log.debug("leave: a second GETSTATUS failed too: {}", e.getMessage());
            return LeaveResult.Outcome.NO_ANSWER;
        }
    }
}
