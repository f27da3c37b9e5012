import type { CommandDefinition } from '../src/commands/define.js';
import { approve, decline } from './applications.js';
import { ask, asksList } from './ask.js';
import { attendanceCommand } from './attendance.js';
import { bookingList, bookingSettingsCommand } from './booking.js';
import { commit, commitmentsCommand } from './commit.js';
import { connect } from './connect.js';
import { directory } from './directory.js';
import { exportCommand } from './export.js';
import { find } from './find.js';
import { group } from './group.js';
import { help } from './help.js';
import { intro } from './intro.js';
import { forgetMe, leave, remove } from './leaving.js';
import { me } from './me.js';
import { meetingCalendarCommand } from './meeting-calendar.js';
import { meetingSettings } from './meeting-settings.js';
import { meetingAdd, meetingCancel, meetingNext } from './meetings.js';
import { moderatorAdd, moderatorRemove, moderatorsList } from './moderators.js';
import { nudgeCreate, nudgeDelete, nudgeList, nudgePause } from './nudge.js';
import { nudges } from './nudges.js';
import { pairExclude, pairJoin, pairLeave, pairSkip, pairSnooze, pairStatus } from './pair.js';
import { pairHistory, pairPreview, pairSettings, pairSetup, pairStart, pairStarters, pairStats } from './pair-admin.js';
import { applicationsList } from './pending-applications.js';
import { powerteamKnow, powerteamReport, powerteamShow, powerteamSphere } from './powerteam.js';
import { profile } from './profile.js';
import { referCommand } from './refer.js';
import { referralCorrect, referralShow, referralUpdate, referralWithdraw } from './referral.js';
import { referralSettings } from './referral-settings.js';
import { balance, givers, referralsList, thanks } from './referrals.js';
import { reportChart } from './report-chart.js';
import { reportReferrals } from './report-referrals.js';
import { scorecardSettings, scorecardShow } from './scorecard.js';
import { seatAlias, seatWanted } from './seat-admin.js';
import { seats } from './seats.js';
import { setup } from './setup.js';
import { visitorInvite, visitorList } from './visitors.js';

/** Every command the bot serves, registered explicitly (no file scanning): the order is /help's order. */
export const commands: CommandDefinition[] = [
  help,
  intro,
  profile,
  find,
  directory,
  group,
  seats,
  connect,
  referCommand,
  referralShow,
  referralUpdate,
  referralWithdraw,
  referralsList,
  thanks,
  ask,
  asksList,
  balance,
  leave,
  forgetMe,
  setup,
  approve,
  decline,
  applicationsList,
  remove,
  moderatorAdd,
  moderatorRemove,
  moderatorsList,
  seatAlias,
  seatWanted,
  referralCorrect,
  referralSettings,
  givers,
  reportReferrals,
  commit,
  commitmentsCommand,
  me,
  nudges,
  nudgeCreate,
  nudgeList,
  nudgePause,
  nudgeDelete,
  pairJoin,
  pairLeave,
  pairSnooze,
  pairSkip,
  pairExclude,
  pairStatus,
  pairSetup,
  pairSettings,
  pairPreview,
  pairStart,
  pairHistory,
  pairStats,
  pairStarters,
  bookingList,
  bookingSettingsCommand,
  meetingNext,
  meetingSettings,
  meetingCancel,
  meetingAdd,
  meetingCalendarCommand,
  attendanceCommand,
  visitorInvite,
  visitorList,
  scorecardShow,
  scorecardSettings,
  reportChart,
  exportCommand,
  powerteamShow,
  powerteamReport,
  powerteamSphere,
  powerteamKnow,
] as CommandDefinition[];
