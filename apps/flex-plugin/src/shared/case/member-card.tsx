import type { MemberProfile } from '@flexcord/contracts';
import { Avatar } from '@twilio-paste/core/avatar';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { caseStatusBadges, formatDate, useCaseStrings } from './case-format.ts';

/** Who the member is on Discord, since when, and what else they asked about. */
export function MemberCard({
  member,
  currentCase,
  onOpenCase,
  onShowMemberCases,
}: {
  member: MemberProfile;
  currentCase: number;
  /** Opens one of the other cases (in the Cases view); without it they are plain text. */
  onOpenCase?: (caseNumber: number) => void;
  onShowMemberCases?: (memberId: string, name: string) => void;
}) {
  const otherCases = member.otherCases.filter((c) => c.number !== currentCase);
  const { t, labels } = useCaseStrings();
  return (
    <Box data-testid="flexcord-member">
      <Box display="flex" alignItems="center" columnGap="space40">
        <Avatar
          size="sizeIcon70"
          name={member.displayName}
          {...(member.avatarUrl ? { src: member.avatarUrl } : {})}
        />
        <Box>
          <Text as="p" fontWeight="fontWeightSemibold">
            {member.displayName}
          </Text>
          {/* The Discord username a person can search for; the raw id only as a tooltip. */}
          <Text as="p" color="colorTextWeak" title={member.id}>
            @{member.username}
          </Text>
        </Box>
      </Box>
      <Box as="dl" marginTop="space30" marginBottom="space0">
        <Text as="dt" fontWeight="fontWeightSemibold" fontSize="fontSize20">
          {t('FlexcordMemberSince')}
        </Text>
        <Text as="dd" marginLeft="space0" fontSize="fontSize20">
          {formatDate(member.memberSince)}
        </Text>
      </Box>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Heading as="h3" variant="heading60" marginBottom="space0">
          {t('FlexcordMemberOtherCases')}
        </Heading>
        {onShowMemberCases && otherCases.length > 0 && (
          <Button
            variant="link"
            size="small"
            onClick={() => onShowMemberCases(member.id, member.displayName)}
          >
            {t('FlexcordMemberAllCases')}
          </Button>
        )}
      </Box>
      {otherCases.length === 0 ? (
        <Text as="p" color="colorTextWeak" fontSize="fontSize20">
          {t('FlexcordMemberNone')}
        </Text>
      ) : (
        <Box as="ul" margin="space0" padding="space0" listStyleType="none" data-testid="flexcord-other-cases">
          {otherCases.map((c) => (
            <Box
              as="li"
              key={c.number}
              display="flex"
              alignItems="center"
              columnGap="space20"
              marginTop="space20"
            >
              {onOpenCase ? (
                <Button variant="link" size="small" onClick={() => onOpenCase(c.number)}>
                  #{c.number} {c.subject}
                </Button>
              ) : (
                <Text as="span" fontSize="fontSize20">
                  #{c.number} {c.subject}
                </Text>
              )}
              <Text as="span" color="colorTextWeak" fontSize="fontSize20">
                {labels.type[c.type]}
              </Text>
              <Badge as="span" variant={caseStatusBadges[c.status]}>
                {labels.status[c.status]}
              </Badge>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
